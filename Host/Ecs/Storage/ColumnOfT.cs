using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>A column of <typeparamref name="T"/> values stored in a plain array so spans over it are free.</summary>
internal sealed class Column<T> : Column
    where T : unmanaged
{
    public Column(int capacity)
        : base(ComponentTypeCache<T>.Id, capacity)
    {
        Values = new T[capacity];
    }

    public T[] Values { get; private set; }

    public override void Resize(int capacity)
    {
        // Uninitialised arrays: every row below Count is always written before it is read.
        T[] values = GC.AllocateUninitializedArray<T>(capacity);
        uint[] ticks = GC.AllocateUninitializedArray<uint>(capacity);
        int keep = Math.Min(capacity, Values.Length);
        Values.AsSpan(0, keep).CopyTo(values);
        ChangedTicks.AsSpan(0, keep).CopyTo(ticks);
        Values = values;
        ChangedTicks = ticks;
    }

    public override void MoveRow(int from, int to)
    {
        Values[to] = Values[from];
        ChangedTicks[to] = ChangedTicks[from];
    }

    public override void CopyRowTo(int row, Column destination, int destinationRow)
    {
        var typed = (Column<T>)destination;
        typed.Values[destinationRow] = Values[row];
        typed.ChangedTicks[destinationRow] = ChangedTicks[row];
        if (ChangedTicks[row] > typed.LastChangedTick)
        {
            typed.LastChangedTick = ChangedTicks[row];
        }
    }

    public override Span<byte> AsBytes(int count) => MemoryMarshal.AsBytes(Values.AsSpan(0, count));

    public override void WriteBytes(int row, ReadOnlySpan<byte> value) =>
        Values[row] = MemoryMarshal.Read<T>(value);

    public override void Fill(int start, int count, ReadOnlySpan<byte> value) =>
        Values.AsSpan(start, count).Fill(MemoryMarshal.Read<T>(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T GetRef(int row) => ref Values[row];
}
