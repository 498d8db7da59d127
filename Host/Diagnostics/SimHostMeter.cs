namespace SimHost.Host.Diagnostics;

/// <summary>
/// The meter every simulation in the process reports to (<c>System.Diagnostics.Metrics</c>): watch it with
/// <c>dotnet-counters monitor --counters SimHost -n YourProcess</c>, or export it with OpenTelemetry's
/// <c>.WithMetrics(m =&gt; m.AddMeter(SimHostMeter.Name))</c>. Its instruments are listed in docs/guide.md
/// ("Observing a running simulation"); measurements carry no tags, so the counters of several simulations in one
/// process add up (the entities gauge is the world of the simulation that ended a frame last).
/// </summary>
public static class SimHostMeter
{
    /// <summary>The meter's name: <c>SimHost</c>.</summary>
    public const string Name = "SimHost";
}
