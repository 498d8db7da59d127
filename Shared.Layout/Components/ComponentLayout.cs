using System.Collections.Concurrent;

namespace SimHost.Layout.Components;

/// <summary>
/// The binary shape of one component struct as the running .NET runtime lays it out: its size, alignment and the
/// flattened list of scalar fields with their real byte offsets, plus a stable 64-bit hash that host and worker
/// compare before trusting each other's columns.
/// </summary>
/// <remarks>
/// <para>
/// Fields are derived by reflection over every instance field, public and private. Nested structs are flattened to
/// dotted paths; enums are stored as their underlying integer kind; <c>fixed</c> buffers and
/// <see cref="System.Runtime.CompilerServices.InlineArrayAttribute"/> structs are flattened element by element as
/// <c>Path[i]</c>. Any other field type (char, decimal, nint, nuint, pointers, references) is rejected with a
/// <see cref="ComponentLayoutException"/>, as are fields that overlap (an explicit-layout union cannot be split
/// into columns and committed back without one field overwriting another).
/// </para>
/// <para>
/// A struct with no fields is a tag component: .NET gives it a size of 1 byte, and its layout has no fields, so
/// it has no columns.
/// </para>
/// </remarks>
internal sealed class ComponentLayout
{
    // Keyed by the CLR type so Of(Type) is a dictionary lookup after the first call.
    private static readonly ConcurrentDictionary<Type, ComponentLayout> s_byType = new();

    private readonly FieldLayout[] _fields;

    private ComponentLayout(string name, Type? clrType, int sizeBytes, int alignmentBytes, FieldLayout[] fields)
    {
        Name = name;
        ClrType = clrType;
        SizeBytes = sizeBytes;
        AlignmentBytes = alignmentBytes;
        _fields = fields;
        Hash = ComputeHash(name, sizeBytes, fields);
    }

    /// <summary>Gets the component's name: the struct's full type name, without assembly qualification.</summary>
    public string Name { get; }

    /// <summary>Gets the struct this layout was derived from, or <see langword="null"/> when it was built from a description (for example one read from a segment header).</summary>
    public Type? ClrType { get; }

    /// <summary>Gets the size of one struct value in bytes (<c>Unsafe.SizeOf&lt;T&gt;()</c>), padding included.</summary>
    public int SizeBytes { get; }

    /// <summary>Gets the alignment the runtime gives the struct inside other structs and arrays, in bytes.</summary>
    public int AlignmentBytes { get; }

    /// <summary>Gets the scalar fields ordered by offset; empty for a tag component.</summary>
    public IReadOnlyList<FieldLayout> Fields => _fields;

    /// <summary>
    /// Gets the FNV-1a 64 hash of the name, the size and every field's path, kind and offset. It is the same in
    /// every process and run, so two processes agree on a component exactly when their hashes are equal.
    /// </summary>
    /// <remarks>
    /// The hashed bytes, integers as 32-bit little-endian and strings as their UTF-8 byte count then the bytes:
    /// name, <see cref="SizeBytes"/>, field count, then for each field in offset order its path, its kind as one
    /// byte and its offset. Alignment is not hashed: it follows from the fields and offsets.
    /// </remarks>
    public ulong Hash { get; }

    /// <summary>Returns the layout of <typeparamref name="T"/>, deriving it on the first call and caching it per type.</summary>
    /// <typeparam name="T">The component struct.</typeparam>
    /// <returns>The layout; the same instance on every call.</returns>
    /// <exception cref="ComponentLayoutException"><typeparamref name="T"/> has a field that cannot be a column.</exception>
    public static ComponentLayout Of<T>()
        where T : unmanaged
    {
        // A static generic class field is one load after the first call; a race derives twice and keeps one.
        return LayoutCache<T>.Layout ??= Of(typeof(T));
    }

    /// <summary>Returns the layout of <paramref name="type"/>, deriving it on the first call and caching it per type.</summary>
    /// <param name="type">The component struct.</param>
    /// <returns>The layout; the same instance as <see cref="Of{T}"/> returns for the same type.</returns>
    /// <exception cref="ComponentLayoutException"><paramref name="type"/> is not a struct or has a field that cannot be a column.</exception>
    public static ComponentLayout Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return s_byType.GetOrAdd(type, static t =>
        {
            ComponentLayoutDerivation derived = ComponentLayoutDerivation.Derive(t);
            return new ComponentLayout(derived.Name, t, derived.SizeBytes, derived.AlignmentBytes, derived.Fields);
        });
    }

    /// <summary>
    /// Builds a layout from a description, as a worker does from a segment header, so its <see cref="Hash"/> can be
    /// compared with the host's. Fields are sorted by offset.
    /// </summary>
    /// <param name="name">The component's full type name.</param>
    /// <param name="sizeBytes">The struct size in bytes, at least 1.</param>
    /// <param name="alignmentBytes">The struct alignment in bytes, a power of two.</param>
    /// <param name="fields">The scalar fields; paths must be unique and fields must lie inside the struct without overlapping.</param>
    /// <returns>A layout whose <see cref="ClrType"/> is <see langword="null"/>.</returns>
    /// <exception cref="ComponentLayoutException">The description is inconsistent.</exception>
    public static ComponentLayout Create(string name, int sizeBytes, int alignmentBytes, IEnumerable<FieldLayout> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        if (sizeBytes < 1)
        {
            throw new ComponentLayoutException($"Component {name} has size {sizeBytes}; a component is at least 1 byte.");
        }

        if (alignmentBytes < 1 || !int.IsPow2(alignmentBytes) || alignmentBytes > sizeBytes)
        {
            throw new ComponentLayoutException($"Component {name} has alignment {alignmentBytes}; it must be a power of two no larger than its size {sizeBytes}.");
        }

        FieldLayout[] sorted = [.. fields];
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (FieldLayout field in sorted)
        {
            if (string.IsNullOrEmpty(field.Path) || !paths.Add(field.Path))
            {
                throw new ComponentLayoutException($"Component {name} has an empty or repeated field path '{field.Path}'.");
            }

            if (!field.Kind.IsDefined())
            {
                throw new ComponentLayoutException($"Component {name} field '{field.Path}' has undefined kind {(byte)field.Kind}; expected one of {ScalarKindExtensions.AllowedKindsText}.");
            }

            if (field.OffsetBytes < 0 || field.OffsetBytes > sizeBytes - field.SizeBytes)
            {
                throw new ComponentLayoutException($"Component {name} field '{field.Path}' at offset {field.OffsetBytes} does not fit in its {sizeBytes} bytes.");
            }
        }

        SortAndRejectOverlaps(name, sorted);
        return new ComponentLayout(name, null, sizeBytes, alignmentBytes, sorted);
    }

    /// <summary>Returns the name, size and hash, for logs.</summary>
    /// <returns>For example <c>MyGame.Velocity (12 bytes, 3 fields, hash 0x1234...)</c>.</returns>
    public override string ToString() => $"{Name} ({SizeBytes} bytes, {_fields.Length} fields, hash 0x{Hash:x16})";

    /// <summary>Sorts fields by offset (then path, so ties are deterministic) and rejects any two that share bytes.</summary>
    internal static void SortAndRejectOverlaps(string name, FieldLayout[] fields)
    {
        Array.Sort(fields, static (a, b) =>
        {
            int byOffset = a.OffsetBytes.CompareTo(b.OffsetBytes);
            return byOffset != 0 ? byOffset : string.CompareOrdinal(a.Path, b.Path);
        });
        for (int i = 1; i < fields.Length; i++)
        {
            FieldLayout previous = fields[i - 1];
            if (fields[i].OffsetBytes < previous.OffsetBytes + previous.SizeBytes)
            {
                throw new ComponentLayoutException(
                    $"Component {name} fields '{previous.Path}' and '{fields[i].Path}' overlap at byte {fields[i].OffsetBytes}; component fields must not share bytes.");
            }
        }
    }

    private static ulong ComputeHash(string name, int sizeBytes, FieldLayout[] fields)
    {
        var hash = new Fnv1a64();
        hash.Append(name);
        hash.Append(sizeBytes);
        hash.Append(fields.Length);
        foreach (FieldLayout field in fields)
        {
            hash.Append(field.Path);
            hash.Append((byte)field.Kind);
            hash.Append(field.OffsetBytes);
        }

        return hash.Value;
    }

    /// <summary>One slot per component type, so <see cref="Of{T}"/> costs a static field read after the first call.</summary>
    private static class LayoutCache<T>
        where T : unmanaged
    {
#pragma warning disable CA2211 // A plain field is the point: the ??= in Of<T> is the whole cache.
        public static ComponentLayout? Layout;
#pragma warning restore CA2211
    }
}
