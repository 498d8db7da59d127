namespace SimHost.Host.Persistence;

/// <summary>
/// The byte arrays one checkpoint's copy of the world is taken into, kept for the next checkpoint of the same run.
/// Fresh memory faults on its first write (microseconds per 4 KiB page on a VM: most of a large world's copy time),
/// and the copy happens on the frame thread, so a run reuses one set of arrays instead of allocating a new world-sized
/// copy every time. Safe because at most one checkpoint is in flight (<see cref="BackgroundCheckpointWriter"/>): the
/// next copy is taken only after the previous one has been written.
/// </summary>
/// <remarks>
/// An array also remembers what it holds (an owner and its version, e.g. an archetype and its structure version), so
/// a capture can skip copying what has not changed since the previous one: the entity columns and the entity table
/// of a world without creates or destroys.
/// </remarks>
internal sealed class CaptureBuffers
{
    private readonly Dictionary<(int Archetype, int Slot), Entry> _buffers = [];
    private uint[] _generations = [];
    private object? _generationsOwner;
    private WorldStructure _generationsVersion;

    /// <summary>
    /// <paramref name="length"/> bytes for slot <paramref name="slot"/> of archetype <paramref name="archetype"/>: the
    /// array of the previous checkpoint when it is large enough, else a new one with a quarter to spare for growth.
    /// </summary>
    public Memory<byte> Take(int archetype, int slot, int length) => Take(archetype, slot, length, null, 0, out _);

    /// <summary>
    /// As <see cref="Take(int, int, int)"/>, and tells whether the array already holds these <paramref name="length"/>
    /// bytes of <paramref name="owner"/> at <paramref name="version"/> (the caller then need not copy them again).
    /// </summary>
    public Memory<byte> Take(int archetype, int slot, int length, object? owner, long version, out bool holdsCurrent)
    {
        var key = (archetype, slot);
        if (!_buffers.TryGetValue(key, out var entry) || entry.Buffer.Length < length)
        {
            entry = new Entry(GC.AllocateUninitializedArray<byte>(length + (length / 4)), null, 0, -1);
        }

        holdsCurrent = owner is not null && ReferenceEquals(entry.Owner, owner) && entry.Version == version && entry.Length == length;
        _buffers[key] = new Entry(entry.Buffer, owner, version, length);
        return entry.Buffer.AsMemory(0, length);
    }

    /// <summary>
    /// An array of exactly <paramref name="slots"/> generations, and whether it already holds those of
    /// <paramref name="owner"/> at <paramref name="version"/>.
    /// </summary>
    public uint[] TakeGenerations(int slots, object owner, WorldStructure version, out bool holdsCurrent)
    {
        if (_generations.Length != slots)
        {
            _generations = GC.AllocateUninitializedArray<uint>(slots);
            _generationsOwner = null;
        }

        holdsCurrent = ReferenceEquals(_generationsOwner, owner) && _generationsVersion == version;
        (_generationsOwner, _generationsVersion) = (owner, version);
        return _generations;
    }

    private readonly record struct Entry(byte[] Buffer, object? Owner, long Version, int Length);
}

/// <summary>
/// A version of a world's structure: it changes whenever an entity is created, destroyed or moved between
/// archetypes (each archetype's structure version only grows), so an equal value means the same entity table.
/// </summary>
internal readonly record struct WorldStructure(long StructureVersions, int Archetypes, int Slots, int FreeSlots);
