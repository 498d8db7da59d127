using System.Diagnostics.Metrics;
using SimHost.Host.Diagnostics;

namespace SimHost.Tests;

/// <summary>
/// Listens to the SimHost meter for one test: every measurement of every instrument, by instrument name; shared as
/// source by the test projects that check what the meter reports.
/// </summary>
internal sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<double>> _measurements = new(StringComparer.Ordinal);

    public MeterRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SimHostMeter.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument, value));
        _listener.Start();
    }

    /// <summary>Every measurement of <paramref name="instrument"/> so far, in order.</summary>
    public IReadOnlyList<double> Of(string instrument)
    {
        lock (_gate)
        {
            return _measurements.TryGetValue(instrument, out var values) ? [.. values] : [];
        }
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements: a counter's total.</summary>
    public double Sum(string instrument) => Of(instrument).Sum();

    /// <summary>Asks the observable instruments for their current values, and returns <paramref name="instrument"/>'s.</summary>
    public double Observe(string instrument)
    {
        lock (_gate)
        {
            _measurements.Remove(instrument);
        }

        _listener.RecordObservableInstruments();
        return Sum(instrument);
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value)
    {
        lock (_gate)
        {
            if (!_measurements.TryGetValue(instrument.Name, out var values))
            {
                values = [];
                _measurements.Add(instrument.Name, values);
            }

            values.Add(value);
        }
    }
}
