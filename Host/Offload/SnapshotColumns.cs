using SimHost.Host.Ecs;
using SimHost.Layout.Components;
using SimHost.Layout.Jobs;
using SimHost.Layout.Segments;

namespace SimHost.Host.Offload;

/// <summary>
/// The component columns of an offloaded system's segment: the written components first, so that segment column i
/// is writable exactly when bit i of <see cref="WritableColumns"/> is set, then the components it only reads.
/// </summary>
internal sealed class SnapshotColumns
{
    /// <summary>The most components one offloaded system may write: the writable mask is one u64.</summary>
    public const int MaxWrittenComponents = 64;

    private readonly ComponentType[] _components;
    private readonly SegmentColumnSpec[] _specs;

    /// <summary>Lays out the columns of a system that writes <paramref name="writes"/> and reads <paramref name="reads"/>.</summary>
    /// <param name="writes">Components the job may change and the host commits; at least one, at most 64.</param>
    /// <param name="reads">Components the job only reads; a component also written is listed once, as written.</param>
    /// <exception cref="ArgumentException">No or too many written components, or a component that cannot be shared.</exception>
    public SnapshotColumns(IEnumerable<ComponentType> writes, IEnumerable<ComponentType> reads)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(reads);
        var components = new List<ComponentType>();
        foreach (var write in writes)
        {
            if (!components.Contains(write))
            {
                components.Add(write);
            }
        }

        WrittenCount = components.Count;
        if (WrittenCount is 0 or > MaxWrittenComponents)
        {
            throw new ArgumentException(
                $"An offloaded system writes 1..{MaxWrittenComponents} components, not {WrittenCount}: the job's writable columns are one 64-bit mask.",
                nameof(writes));
        }

        foreach (var read in reads)
        {
            if (!components.Contains(read))
            {
                components.Add(read);
            }
        }

        _components = [.. components];
        _specs = new SegmentColumnSpec[_components.Length];
        for (var i = 0; i < _components.Length; i++)
        {
            var layout = LayoutOf(_components[i]);
            _specs[i] = new SegmentColumnSpec((uint)_components[i].Id, layout.Hash, _components[i].SizeBytes);
        }

        WritableColumns = WrittenCount == 64 ? ulong.MaxValue : (1UL << WrittenCount) - 1;
    }

    /// <summary>The components in column order: written ones first.</summary>
    public IReadOnlyList<ComponentType> Components => _components;

    /// <summary>The number of columns.</summary>
    public int Count => _components.Length;

    /// <summary>How many leading columns the job may write (and the host commits).</summary>
    public int WrittenCount { get; }

    /// <summary>The <see cref="JobRange.WritableColumns"/> mask: bits 0..<see cref="WrittenCount"/>-1.</summary>
    public ulong WritableColumns { get; }

    /// <summary>The segment column specs, in column order.</summary>
    public ReadOnlySpan<SegmentColumnSpec> Specs => _specs;

    /// <summary>The ECS component id of column <paramref name="column"/>.</summary>
    public int ComponentId(int column) => _components[column].Id;

    /// <summary>The size in bytes of one value of column <paramref name="column"/>.</summary>
    public int ElementSizeBytes(int column) => _components[column].SizeBytes;

    private static ComponentLayout LayoutOf(ComponentType component)
    {
        try
        {
            return ComponentLayout.Of(component.Type);
        }
        catch (ComponentLayoutException exception)
        {
            throw new ArgumentException($"Component {component.Name} cannot be shared with workers: {exception.Message}", exception);
        }
    }
}
