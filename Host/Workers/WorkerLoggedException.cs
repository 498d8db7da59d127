namespace SimHost.Host.Workers;

/// <summary>
/// An exception a worker logged, as it arrives in the host: its text (type, message, stack trace) only, since the
/// exception object stayed in the worker's process. Passed as the host log event's exception so sinks show it where
/// they show exceptions; <see cref="ToString"/> is the worker's text.
/// </summary>
internal sealed class WorkerLoggedException : Exception
{
    private readonly string _text;

    /// <summary>Wraps the worker's exception text; the message is its first line.</summary>
    public WorkerLoggedException(string text)
        : base(FirstLine(text))
    {
        _text = text;
    }

    /// <summary>The exception as the worker wrote it.</summary>
    public override string ToString() => _text;

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
