namespace SimHost.Layout.Protocol;

/// <summary>
/// One log event a worker writes to its standard error as one line (<see cref="WorkerLogLine"/>) and the host replays
/// into its own logger at the same level: the structured form of a worker log, so the host parses no text.
/// </summary>
/// <param name="Timestamp">When the worker logged it.</param>
/// <param name="Level">Its level; the host logs it at the matching <c>LogLevel</c>.</param>
/// <param name="Category">The worker type that logged it (Serilog's <c>SourceContext</c>), e.g. <c>SimHost.Worker.WorkerSession</c>.</param>
/// <param name="EventId">A stable id of the event's message template (0 when it has none).</param>
/// <param name="Message">The message rendered by the worker.</param>
/// <param name="Template">The message template (<c>Worker {WorkerId} connected</c>), or null when it was dropped to fit a line.</param>
/// <param name="Properties">The template's and the event's properties: strings, whole numbers (long, ulong), doubles, booleans or null.</param>
/// <param name="Exception">The exception's text (type, message, stack trace), or null.</param>
internal sealed record WorkerLogEvent(
    DateTimeOffset Timestamp,
    WorkerLogLevel Level,
    string Category,
    int EventId,
    string Message,
    string? Template,
    IReadOnlyList<KeyValuePair<string, object?>> Properties,
    string? Exception);
