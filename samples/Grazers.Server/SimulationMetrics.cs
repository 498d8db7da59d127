using System.Diagnostics.Metrics;

namespace Grazers.Server;

/// <summary>
/// The simulation's instruments on the <c>SimHost</c> meter: watch them with
/// <c>dotnet-counters monitor --counters SimHost -n Grazers.Server</c>, or export them with OpenTelemetry.
/// </summary>
internal sealed class SimulationMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SimHost";

    private readonly Histogram<double> _frameTime;
    private readonly Counter<long> _frames;
    private long _workerRestarts;

    public SimulationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _frameTime = meter.CreateHistogram<double>("simhost.frame.duration", unit: "ms", description: "Time to run one frame");
        _frames = meter.CreateCounter<long>("simhost.frames", description: "Frames run");
        meter.CreateObservableCounter("simhost.worker.restarts", () => Volatile.Read(ref _workerRestarts), description: "Worker processes replaced after a failure");
    }

    /// <summary>Records one frame and the pool's restarts so far.</summary>
    public void FrameDone(TimeSpan elapsed, long workerRestarts)
    {
        _frameTime.Record(elapsed.TotalMilliseconds);
        _frames.Add(1);
        Volatile.Write(ref _workerRestarts, workerRestarts);
    }
}
