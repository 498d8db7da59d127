namespace SimHost.Tests.Host.Workers;

/// <summary>A clock that moves only when a test says so; timestamps are in ticks (100 ns).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = TimeSpan.FromHours(1).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => new(_ticks, TimeSpan.Zero);

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
