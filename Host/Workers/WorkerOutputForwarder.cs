using Serilog;
using Serilog.Events;

namespace SimHost.Host.Workers;

/// <summary>
/// Forwards a worker's output lines into the host's log at the level the worker logged them: each worker log line
/// starts with Serilog's three-letter level (<c>INF</c>, <c>ERR</c>...). Other lines (a FailFast message, a stack
/// trace) are warnings: the runtime only writes them when something went wrong.
/// </summary>
internal sealed class WorkerOutputForwarder(ILogger logger, uint workerId)
{
    private readonly ILogger _logger = logger.ForContext("WorkerId", workerId);

    /// <summary>Forwards one line; null (end of stream) is ignored.</summary>
    public void Forward(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        var (level, text) = Split(line);
        // The WorkerId property (and the console's worker tag) says whose line it is.
        _logger.Write(level, "{WorkerLine:l}", text);
    }

    /// <summary>The level a worker line was logged at, and the line without its level.</summary>
    public static (LogEventLevel Level, string Text) Split(string line)
    {
        LogEventLevel? level = line.Length >= 4 && line[3] == ' ' ? line[..3] switch
        {
            "VRB" => LogEventLevel.Verbose,
            "DBG" => LogEventLevel.Debug,
            "INF" => LogEventLevel.Information,
            "WRN" => LogEventLevel.Warning,
            "ERR" => LogEventLevel.Error,
            "FTL" => LogEventLevel.Fatal,
            _ => null,
        } : null;
        return level is { } known ? (known, line[4..]) : (LogEventLevel.Warning, line);
    }
}
