using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Host.Ecs;

namespace SimHost.Host.Persistence;

/// <summary>
/// Where a checkpoint load puts the arrays it reads into: one <see cref="LoadArena"/> sized for the whole world, or,
/// where there is none (not Linux, or no mapping to be had), new managed arrays given huge-page advice
/// (<see cref="BulkArray.AllocateToFill{T}"/>) and pinned for the read. Either way each array comes with the address
/// the read writes to.
/// </summary>
internal sealed unsafe class LoadPlacement(LoadArena? arena, ParallelFileRead read)
{
    /// <summary>Whether the arrays go to an arena (else to managed arrays).</summary>
    public bool IsArena => arena is not null;

    /// <summary>The arena bytes a world of these arrays needs: the entity records, and per archetype its entity handles and each column's values and ticks.</summary>
    public static long ArenaBytes(int slots, IEnumerable<(int Rows, IEnumerable<int> ComponentSizes)> archetypes)
    {
        var bytes = LoadArena.SizeOf<EntityRecord>(RecordSlots(slots));
        foreach (var (rows, sizes) in archetypes)
        {
            bytes += LoadArena.SizeOf<Entity>(rows);
            foreach (var size in sizes)
            {
                bytes += LoadArena.SizeOf<uint>(rows) + LoadArena.SizeOf<byte>((long)rows * size);
            }
        }

        return bytes;
    }

    /// <summary>How many records an entity table of <paramref name="slots"/> gets: room for a few more, as a new world has.</summary>
    public static int RecordSlots(int slots) => Math.Max(64, slots);

    /// <summary>A new array of <paramref name="length"/> rows, its contents unwritten, and where it starts.</summary>
    public (RowBuffer<T> Rows, nint Address) Place<T>(int length)
        where T : unmanaged
    {
        if (arena is not null)
        {
            var rows = new RowBuffer<T>(arena, length);
            return (rows, (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(rows.Span)));
        }

        var array = BulkArray.AllocateToFill<T>(length);
        return (new RowBuffer<T>(array), (nint)read.Pin(array));
    }

    /// <summary>A new column of <paramref name="rows"/> rows, its values and ticks unwritten, and where each starts.</summary>
    public (Column Column, nint Values, nint Ticks) PlaceColumn(ComponentType type, int rows)
    {
        if (arena is not null)
        {
            var column = type.CreateColumnIn(arena, rows);
            return (column, Start(column.AsBytes(rows)), Start(MemoryMarshal.AsBytes(column.ChangedTicks)));
        }

        var managed = type.CreateUninitializedColumn(rows);
        return (managed, (nint)read.Pin(managed.ManagedValues!), (nint)read.Pin(managed.ManagedTicks!));
    }

    private static nint Start(Span<byte> native) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(native));
}
