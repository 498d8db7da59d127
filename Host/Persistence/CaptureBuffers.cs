namespace SimHost.Host.Persistence;

/// <summary>
/// The byte arrays one checkpoint's copy of the world is taken into, kept for the next checkpoint of the same run.
/// Fresh memory faults on its first write (microseconds per 4 KiB page on a VM: most of a large world's copy time),
/// and the copy happens on the frame thread, so a run reuses one set of arrays instead of allocating a new world-sized
/// copy every time. Safe because at most one checkpoint is in flight (<see cref="BackgroundCheckpointWriter"/>): the
/// next copy is taken only after the previous one has been written.
/// </summary>
internal sealed class CaptureBuffers
{
    private readonly Dictionary<(int Archetype, int Slot), byte[]> _buffers = [];

    /// <summary>
    /// <paramref name="length"/> bytes for slot <paramref name="slot"/> of archetype <paramref name="archetype"/>: the
    /// array of the previous checkpoint when it is large enough, else a new one with a quarter to spare for growth.
    /// </summary>
    public Memory<byte> Take(int archetype, int slot, int length)
    {
        if (!_buffers.TryGetValue((archetype, slot), out var buffer) || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<byte>(length + (length / 4));
            _buffers[(archetype, slot)] = buffer;
        }

        return buffer.AsMemory(0, length);
    }
}
