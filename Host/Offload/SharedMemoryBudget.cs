namespace SimHost.Host.Offload;

/// <summary>
/// The shared-memory bytes all offloaded systems of one run have mapped, checked against
/// <see cref="SegmentLimits.MaxSharedMemoryBytes"/>. Thread-safe: offloaded systems of one level snapshot concurrently.
/// </summary>
internal sealed class SharedMemoryBudget
{
    private readonly Lock _lock = new();
    private long _usedBytes;

    /// <summary>Creates a budget of <paramref name="limitBytes"/> bytes.</summary>
    public SharedMemoryBudget(long limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limitBytes);
        LimitBytes = limitBytes;
    }

    /// <summary>The most bytes that may be mapped at once.</summary>
    public long LimitBytes { get; }

    /// <summary>The bytes currently reserved.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_lock)
            {
                return _usedBytes;
            }
        }
    }

    /// <summary>Replaces a reservation of <paramref name="releasedBytes"/> with one of <paramref name="reservedBytes"/> if it fits.</summary>
    /// <returns>Whether the new reservation fits; when it does not, nothing changes.</returns>
    public bool TryExchange(long releasedBytes, long reservedBytes)
    {
        lock (_lock)
        {
            var next = _usedBytes - releasedBytes + reservedBytes;
            if (next > LimitBytes)
            {
                return false;
            }

            _usedBytes = next;
            return true;
        }
    }

    /// <summary>Returns <paramref name="bytes"/> to the budget.</summary>
    public void Release(long bytes)
    {
        lock (_lock)
        {
            _usedBytes -= bytes;
        }
    }
}
