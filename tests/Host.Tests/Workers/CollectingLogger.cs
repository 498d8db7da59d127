using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// Keeps every rendered log line ("Level message"), so tests can check what the supervisor said, and echoes it to the
/// test log. Events below <paramref name="minimumLevel"/> are dropped, as a configured logger would.
/// </summary>
internal sealed class CollectingLogger(LogLevel minimumLevel = LogLevel.Information) : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The properties of every event, by name (the last value wins), for tests of structured output.</summary>
    public ConcurrentQueue<(LogLevel Level, IReadOnlyDictionary<string, object?> Properties)> Events { get; } = new();

    /// <summary>The exception of every event that had one.</summary>
    public ConcurrentQueue<(LogLevel Level, Exception Exception)> Exceptions { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var properties = new Dictionary<string, object?>();
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (name, value) in pairs)
            {
                properties[name] = value;
            }
        }

        Events.Enqueue((logLevel, properties));
        if (exception is not null)
        {
            Exceptions.Enqueue((logLevel, exception));
        }

        var line = $"{logLevel} {formatter(state, exception)}";
        _lines.Enqueue(line);
        TestContext.Progress.WriteLine(line);
    }
}
