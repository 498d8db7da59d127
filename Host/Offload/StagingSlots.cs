namespace SimHost.Host.Offload;

/// <summary>
/// The staging slots of a staged pass (<see cref="StagedInProcessPass"/>): each thread running a piece rents one, its
/// own segment and job instance, and returns it after the piece; a slot is made only when every other one is in use,
/// so there are at most as many as threads ever ran pieces at once. Disposing deletes their segments.
/// </summary>
internal sealed class StagingSlots(OffloadSegments segments, InProcessRangeExecutor executor) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Stack<StagingSlot> _idle = new();
    private readonly List<StagingSlot> _slots = [];
    private bool _isDisposed;

    /// <summary>Whether the slots were disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _isDisposed);

    /// <summary>An idle slot, or a new one (a staging segment beside <c>segments</c>, and an instance of <paramref name="jobName"/>).</summary>
    public StagingSlot Rent(string jobName)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_isDisposed, this);
            if (_idle.Count > 0)
            {
                return _idle.Pop();
            }

            var slot = new StagingSlot(segments.CreateStaging(_slots.Count), executor.NewJobInstance(jobName));
            _slots.Add(slot);
            return slot;
        }
    }

    /// <summary>Gives <paramref name="slot"/> back for the next piece.</summary>
    public void Return(StagingSlot slot)
    {
        lock (_gate)
        {
            if (!_isDisposed)
            {
                _idle.Push(slot);
            }
        }
    }

    /// <summary>Deletes the staging segments.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _isDisposed = true;
            foreach (var slot in _slots)
            {
                slot.Dispose();
            }

            _slots.Clear();
            _idle.Clear();
        }
    }
}
