using Microsoft.Extensions.Logging;

namespace SimHost.Host.Workers;

/// <summary>
/// Forwards a worker's output lines into the host's log at the level the worker logged them: each worker log line
/// starts with Serilog's three-letter level (<c>INF</c>, <c>ERR</c>...). Other lines (a FailFast message, a stack
/// trace) are warnings: the runtime only writes them when something went wrong.
/// </summary>
internal sealed class WorkerOutputForwarder(ILogger logger, uint workerId)
{
    /// <summary>Forwards one line; null (end of stream) is ignored.</summary>
    public void Forward(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        var (level, text) = Split(line);
        // The WorkerId property (and the console's worker tag) says whose line it is; ":l" renders the text unquoted.
        WorkerLog.Tagged(logger, level, workerId, "WorkerLine", text, "{WorkerLine:l}");
    }

    /// <summary>The level a worker line was logged at, and the line without its level.</summary>
    public static (LogLevel Level, string Text) Split(string line)
    {
        LogLevel? level = line.Length >= 4 && line[3] == ' ' ? line[..3] switch
        {
            "VRB" => LogLevel.Trace,
            "DBG" => LogLevel.Debug,
            "INF" => LogLevel.Information,
            "WRN" => LogLevel.Warning,
            "ERR" => LogLevel.Error,
            "FTL" => LogLevel.Critical,
            _ => null,
        } : null;
        return level is { } known ? (known, line[4..]) : (LogLevel.Warning, line);
    }
}
