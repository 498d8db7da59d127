namespace SimHost.Host.Ecs;

/// <summary>
/// One component's rows in one archetype: a contiguous value array plus a parallel per-row changed-tick array.
/// The untyped operations run once per structural change (not per entity in iteration), so a virtual call is fine.
/// </summary>
internal abstract class Column
{
    protected Column(int componentId, int capacity)
    {
        ComponentId = componentId;
        ChangedTicks = new uint[capacity];
    }

    public int ComponentId { get; }

    /// <summary>The tick at which each row was last written; moves with the row's value.</summary>
    public uint[] ChangedTicks { get; protected set; }

    /// <summary>The highest tick ever stamped on this column, so change filters skip untouched archetypes.</summary>
    public uint LastChangedTick { get; set; }

    public abstract void Resize(int capacity);

    /// <summary>Moves the first <paramref name="rows"/> values into shared memory; see <see cref="IColumnMemory"/>.</summary>
    public abstract void MoveTo(IColumnMemory memory, int rows);

    /// <summary>Moves a shared column's values back into a managed array (its shared memory is going away).</summary>
    public abstract void MoveToManaged();

    /// <summary>Points a shared column at its current buffer.</summary>
    public abstract void Bind(nint address, int rowCapacity);

    /// <summary>Copies row <paramref name="from"/> (value and tick) over row <paramref name="to"/> of this column.</summary>
    public abstract void MoveRow(int from, int to);

    /// <summary>Copies a row (value and tick) into another column of the same component type.</summary>
    public abstract void CopyRowTo(int row, Column destination, int destinationRow);

    /// <summary>The first <paramref name="count"/> rows as raw bytes.</summary>
    public abstract Span<byte> AsBytes(int count);

    /// <summary>Writes one value given as raw bytes; the length must equal the component size.</summary>
    public abstract void WriteBytes(int row, ReadOnlySpan<byte> value);

    /// <summary>Fills <paramref name="count"/> rows from <paramref name="start"/> with one value given as raw bytes.</summary>
    public abstract void Fill(int start, int count, ReadOnlySpan<byte> value);

    public void MarkChanged(int row, uint tick)
    {
        ChangedTicks[row] = tick;
        LastChangedTick = tick;
    }

    public void MarkChanged(int start, int count, uint tick)
    {
        ChangedTicks.AsSpan(start, count).Fill(tick);
        LastChangedTick = tick;
    }
}
