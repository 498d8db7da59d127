using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace SimHost.Tests.Host.Workers;

/// <summary>Keeps every rendered log line, so tests can check what the supervisor said, and echoes it to the test log.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Emit(LogEvent logEvent)
    {
        var line = $"{logEvent.Level} {logEvent.RenderMessage(CultureInfo.InvariantCulture)}";
        _lines.Enqueue(line);
        TestContext.Progress.WriteLine(line);
    }
}
