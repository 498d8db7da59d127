using System.Collections;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// The state of a worker log event replayed in the host: <c>WorkerId</c> (the slot) and <c>WorkerCategory</c> (the
/// worker type that logged it), the event's own properties, and its message template as <c>{OriginalFormat}</c> so
/// structured sinks such as Serilog keep the template and render it with those properties.
/// </summary>
internal readonly struct WorkerEventState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _properties;
    private readonly uint _workerId;
    private readonly bool _templateNamesWorker;

    /// <summary>The state of <paramref name="logEvent"/> from worker <paramref name="workerId"/>.</summary>
    public WorkerEventState(uint workerId, WorkerLogEvent logEvent)
    {
        Message = logEvent.Message;
        _workerId = workerId;
        _templateNamesWorker = logEvent.Template is { } template
            && (template.Contains("{WorkerId}", StringComparison.Ordinal) || template.Contains("{WorkerId:", StringComparison.Ordinal));
        var properties = new List<KeyValuePair<string, object?>>(logEvent.Properties.Count + 4)
        {
            new("WorkerId", workerId),
            new("WorkerCategory", logEvent.Category),
        };

        // The host's names win: a worker property of the same name (its own WorkerId in a template) says the same.
        foreach (var property in logEvent.Properties)
        {
            if (property.Key is not ("WorkerId" or "WorkerCategory" or "WorkerMessage" or "{OriginalFormat}"))
            {
                properties.Add(property);
            }
        }

        if (logEvent.Template is null)
        {
            // A template dropped to fit the line: the rendered message stands in for it, unquoted.
            properties.Add(new("WorkerMessage", logEvent.Message));
        }

        properties.Add(new("{OriginalFormat}", logEvent.Template ?? "{WorkerMessage:l}"));
        _properties = [.. properties];
    }

    /// <summary>The message as the worker rendered it.</summary>
    public string Message { get; }

    /// <summary>
    /// The message for a logger that prints formatted text only (the console of Microsoft.Extensions.Logging): the
    /// worker named first, since such a logger shows no property, unless the worker's template names it already.
    /// Structured sinks render the template instead.
    /// </summary>
    /// <remarks>Built only when a logger asks: structured sinks never do.</remarks>
    public string Formatted => _templateNamesWorker ? Message : WorkerTaggedState.Prefixed(_workerId, Message);

    /// <inheritdoc />
    public int Count => _properties.Length;

    /// <inheritdoc />
    public KeyValuePair<string, object?> this[int index] => _properties[index];

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_properties).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => _properties.GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => Formatted;
}
