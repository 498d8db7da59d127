using Microsoft.Extensions.Logging;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// Replays a worker's output into the host's log. A line that is a worker log event (<see cref="WorkerLogLine"/>, one
/// JSON object) is logged at its own level, with its event id, template, properties and exception text, and the
/// worker's id and category as properties. Any other line (a job's <c>Console.WriteLine</c>, the runtime's crash
/// report, a malformed event) is logged verbatim: standard output at <see cref="OutputLevel"/>, standard error at
/// <see cref="ErrorLevel"/>. A line longer than <see cref="WorkerLogLine.MaxLineChars"/> is logged shortened, saying
/// how much was cut. A line that is a stack frame of such text (<c>   at Job.Execute()</c>, <c>--- End of ...</c>) is
/// logged under <see cref="StackFrameProperty"/> instead, so that a host's console can leave stack traces to its log
/// file (simhost does). Nothing here throws: a worker's output never takes the host down.
/// </summary>
internal sealed class WorkerOutputForwarder(ILogger logger, uint workerId)
{
    /// <summary>The level of a standard-output line that is not an event: a job's own console output.</summary>
    public const LogLevel OutputLevel = LogLevel.Information;

    /// <summary>
    /// The level of a standard-error line that is not an event: the runtime writes there only when something went wrong
    /// (an unhandled exception, <c>Environment.FailFast</c>); the host logs the worker's loss itself.
    /// </summary>
    public const LogLevel ErrorLevel = LogLevel.Warning;

    /// <summary>The property a stack-frame line is logged under (any other line: <c>WorkerLine</c>).</summary>
    public const string StackFrameProperty = "WorkerStackFrame";

    /// <summary>Forwards one line of the worker's standard output; null (end of stream) is ignored.</summary>
    public void ForwardOutput(string? line) => Forward(line, 0, OutputLevel);

    /// <summary>Forwards one line of standard output whose last <paramref name="cutChars"/> characters were not kept (<see cref="WorkerOutputPump"/>).</summary>
    public void ForwardOutput(string? line, long cutChars) => Forward(line, cutChars, OutputLevel);

    /// <summary>Forwards one line of the worker's standard error; null (end of stream) is ignored.</summary>
    public void ForwardError(string? line) => Forward(line, 0, ErrorLevel);

    /// <summary>Forwards one line of standard error whose last <paramref name="cutChars"/> characters were not kept (<see cref="WorkerOutputPump"/>).</summary>
    public void ForwardError(string? line, long cutChars) => Forward(line, cutChars, ErrorLevel);

    /// <summary>The host's level for a worker event's level.</summary>
    public static LogLevel ToLogLevel(WorkerLogLevel level) => level switch
    {
        WorkerLogLevel.Verbose => LogLevel.Trace,
        WorkerLogLevel.Debug => LogLevel.Debug,
        WorkerLogLevel.Information => LogLevel.Information,
        WorkerLogLevel.Warning => LogLevel.Warning,
        WorkerLogLevel.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private void Forward(string? line, long cutChars, LogLevel otherLineLevel)
    {
        line ??= string.Empty;
        if (line.Length == 0 && cutChars == 0)
        {
            return;
        }

        // A shortened line is never a whole event: events fit a line (WorkerLogLine.Encode).
        if (cutChars == 0 && WorkerLogLine.TryDecode(line, out var logEvent))
        {
            var level = ToLogLevel(logEvent!.Level);
            if (logger.IsEnabled(level))
            {
                var exception = logEvent.Exception is null ? null : new WorkerLoggedException(logEvent.Exception);
                logger.Log(level, new EventId(logEvent.EventId), new WorkerEventState(workerId, logEvent), exception, static (state, _) => state.Formatted);
            }

            return;
        }

        var kept = Math.Min(line.Length, WorkerLogLine.MaxLineChars);
        var notLogged = line.Length - kept + cutChars;
        var text = notLogged == 0 ? line : $"{line.AsSpan(0, kept)}… ({notLogged} more characters not logged)";

        // The WorkerId property (and the console's worker tag) says whose line it is; ":l" renders the text unquoted.
        if (IsStackFrame(line))
        {
            WorkerLog.Tagged(logger, otherLineLevel, workerId, StackFrameProperty, text, "{WorkerStackFrame:l}");
        }
        else
        {
            WorkerLog.Tagged(logger, otherLineLevel, workerId, "WorkerLine", text, "{WorkerLine:l}");
        }
    }

    /// <summary>
    /// Whether <paramref name="line"/> is a line of a .NET stack trace as the runtime's crash report or an exception's
    /// <c>ToString()</c> writes it: an indented <c>at ...</c> frame, or a <c>--- End of ...</c> separator.
    /// </summary>
    public static bool IsStackFrame(string line)
    {
        // A frame names a method and its parameters: "   at Type.Method(Args)", maybe followed by " in file:line n".
        var trimmed = line.AsSpan().TrimStart();
        if (trimmed.StartsWith("--- End of ", StringComparison.Ordinal))
        {
            return true;
        }

        if (trimmed.Length == line.Length || !trimmed.StartsWith("at ", StringComparison.Ordinal))
        {
            return false;
        }

        var method = trimmed[3..];
        var open = method.IndexOf('(');
        return open > 0 && !method[..open].Contains(' ') && method.IndexOf(')') > open;
    }
}
