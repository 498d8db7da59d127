using System.Globalization;
using SimHost.Host.Ecs;
using SimHost.Layout.Segments;
using SimHost.Physics;

namespace SimHost.Host.Cli;

/// <summary>
/// The most entities a module's world can hold: every component column of an archetype is one span of bytes
/// (a managed column hands its rows out as a <see cref="Span{T}"/> of bytes, and a segment column must stay below
/// 2 GiB, see <see cref="SegmentLayoutPlanner"/>), so the widest component bounds the rows, rounded down to the
/// 64-row alignment of ranges and shared segments.
/// </summary>
internal static class EntityLimit
{
    /// <summary>The largest column in bytes, in memory and in a segment.</summary>
    public const long ColumnLimitBytes = int.MaxValue;

    private const int RowAlignment = SegmentFormat.RowsPerChangedWord;

    /// <summary>The particles module's widest component and the most entities its column can hold.</summary>
    public static (ComponentType Widest, int MaxEntities) ForParticleScenario()
    {
        var (widest, max) = For(ParticlesModule.ParticleComponents);
        return (widest!, max);
    }

    /// <summary>
    /// The widest of <paramref name="components"/> (a module's checksum components: the ones every entity it seeds
    /// has) and the most entities its column can hold.
    /// </summary>
    public static (ComponentType? Widest, int MaxEntities) For(IReadOnlyList<ComponentType> components)
    {
        if (components.Count == 0)
        {
            return (null, MaxRows(SegmentFormat.EntityHandleSizeBytes));
        }

        var widest = components[0];
        foreach (var component in components)
        {
            if (component.SizeBytes > widest.SizeBytes)
            {
                widest = component;
            }
        }

        return (widest, MaxRows(widest.SizeBytes));
    }

    /// <summary>The most rows a column of <paramref name="rowSizeBytes"/>-byte values holds, with the entity column's own bound.</summary>
    public static int MaxRows(int rowSizeBytes)
    {
        var rows = Math.Min(ColumnLimitBytes / Math.Max(rowSizeBytes, SegmentFormat.EntityHandleSizeBytes), SegmentFormat.MaxRowCapacity);
        return (int)(rows & ~(long)(RowAlignment - 1));
    }

    /// <summary>The one-line reason <paramref name="entities"/> do not fit, or null when they do.</summary>
    public static string? Problem(long entities) => Problem(entities, ParticlesModule.ParticleComponents);

    /// <summary>The one-line reason <paramref name="entities"/> with <paramref name="components"/> do not fit, or null when they do.</summary>
    public static string? Problem(long entities, IReadOnlyList<ComponentType> components)
    {
        var (widest, max) = For(components);
        if (entities <= max)
        {
            return null;
        }

        // Rows are reserved in blocks of RowAlignment, so the column needs room for the count rounded up: the bytes
        // named are those checked (178956929 12-byte rows need 2147483904 bytes, not 2147483148).
        var reserved = decimal.Ceiling((decimal)entities / RowAlignment) * RowAlignment;

        // Components narrower than an entity handle: the entity column, 8 bytes a row, is the one that would not fit.
        if (widest is null || widest.SizeBytes < SegmentFormat.EntityHandleSizeBytes)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"--entities {entities} is too many: the entity column would need {reserved * SegmentFormat.EntityHandleSizeBytes} bytes ({SegmentFormat.EntityHandleSizeBytes} bytes a row, rows reserved in blocks of {RowAlignment}), over the {ColumnLimitBytes}-byte (2 GiB) limit of one column; give at most {max}.");
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"--entities {entities} is too many: the {widest.Name} column would need {reserved * widest.SizeBytes} bytes ({widest.SizeBytes} bytes a row, rows reserved in blocks of {RowAlignment}), over the {ColumnLimitBytes}-byte (2 GiB) limit of one column; give at most {max}.");
    }
}
