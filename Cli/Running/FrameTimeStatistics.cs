using HdrHistogram;

namespace SimHost.Host.Running;

/// <summary>
/// Frame times of a run in bounded memory: an HdrHistogram of whole microseconds from 1 µs to one hour, four
/// significant digits (exact to the microsecond below 32.768 ms, within 0.01% above), plus the exact count, sum,
/// minimum and maximum.
/// Recording is constant time and allocates nothing, and a percentile costs the same after ten frames or ten
/// million, so an unbounded run stays as fast and as small as a short one.
/// </summary>
internal sealed class FrameTimeStatistics
{
    /// <summary>The longest frame time recorded as itself; longer frames count as this long in the percentiles (the maximum stays exact).</summary>
    public static readonly TimeSpan HighestTrackable = TimeSpan.FromHours(1);

    private const int SignificantDigits = 4;
    private static readonly long s_highestMicroseconds = (long)HighestTrackable.TotalMicroseconds;

    // About 2.4 MB of counts, allocated once.
    private readonly LongHistogram _microseconds = new(1, s_highestMicroseconds, SignificantDigits);
    private long _count;
    private double _sumMs;
    private double _minMs = double.PositiveInfinity;
    private double _maxMs;

    /// <summary>Frames recorded so far.</summary>
    public long Count => _count;

    /// <summary>Records one frame's wall time; constant time, no allocation.</summary>
    public void Add(TimeSpan frameTime)
    {
        var ms = frameTime.TotalMilliseconds;
        var microseconds = Math.Clamp((long)Math.Round(frameTime.TotalMicroseconds), 1, s_highestMicroseconds);
        _microseconds.RecordValue(microseconds);
        _count++;
        _sumMs += ms;
        _minMs = Math.Min(_minMs, ms);
        _maxMs = Math.Max(_maxMs, ms);
    }

    /// <summary>
    /// The nearest-rank percentile in milliseconds (0 when nothing was recorded), at 1 µs resolution and within the
    /// histogram's 0.1% above 2 ms; 0 and 100 are the exact minimum and maximum.
    /// </summary>
    /// <param name="percent">From 0 to 100.</param>
    public double PercentileMs(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (_count == 0)
        {
            return 0;
        }

        if (percent == 0)
        {
            return _minMs;
        }

        if (percent == 100)
        {
            return _maxMs;
        }

        // The histogram answers with the highest value equivalent to the bucket's: never below the true rank's value.
        var microseconds = _microseconds.GetValueAtPercentile(percent);
        return Math.Min(microseconds / 1000.0, _maxMs);
    }

    /// <summary>The mean frame time in milliseconds (exact).</summary>
    public double MeanMs() => _count == 0 ? 0 : _sumMs / _count;
}
