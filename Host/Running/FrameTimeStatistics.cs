namespace SimHost.Host.Running;

/// <summary>
/// Frame times of a run, kept whole so that percentiles are exact. One double per frame: a 10-million-frame run
/// holds 80 MB, and a run that long is measured in hours, so exactness wins over a sketch.
/// </summary>
public sealed class FrameTimeStatistics
{
    private readonly List<double> _milliseconds = [];
    private double[] _sorted = [];
    private bool _isSortedCurrent = true;

    /// <summary>Frames recorded so far.</summary>
    public int Count => _milliseconds.Count;

    /// <summary>Records one frame's wall time.</summary>
    public void Add(TimeSpan frameTime)
    {
        _milliseconds.Add(frameTime.TotalMilliseconds);
        _isSortedCurrent = false;
    }

    /// <summary>The nearest-rank percentile in milliseconds (0 when nothing was recorded).</summary>
    /// <param name="percent">From 0 to 100.</param>
    public double PercentileMs(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (_milliseconds.Count == 0)
        {
            return 0;
        }

        if (!_isSortedCurrent)
        {
            _sorted = [.. _milliseconds];
            Array.Sort(_sorted);
            _isSortedCurrent = true;
        }

        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>The mean frame time in milliseconds.</summary>
    public double MeanMs()
    {
        if (_milliseconds.Count == 0)
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var ms in _milliseconds)
        {
            sum += ms;
        }

        return sum / _milliseconds.Count;
    }
}
