using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;
using SimHost.Host.Workers;

namespace SimHost.Host.Running;

/// <summary>The host's Serilog pipeline: readable lines on stderr, and compact JSON in <c>--log-file</c> when given.</summary>
internal static class HostLogging
{
    /// <summary>
    /// The console line format: time, level, worker (when the event has one), message. No exception: a stack trace
    /// is for the log file, never the user's terminal; every message already carries the exception's message.
    /// </summary>
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}]{WorkerTag} {Message:lj}{NewLine}";

    /// <summary>
    /// A property that keeps an event out of the console: the run's failure, which the user already reads as the one
    /// <c>simhost:</c> line on stderr, is written to the log file alone (with its stack trace). The stack frames of a
    /// worker's crash report (<see cref="WorkerOutputForwarder.StackFrameProperty"/>) stay out of it too: its first
    /// lines (what failed and why) and the host's line about the worker's end reach the console.
    /// </summary>
    public const string FileOnlyProperty = "FileOnly";

    /// <summary>Whether an event is written to the console: all but the file-only ones and the stack frames of a worker's output.</summary>
    public static bool IsForConsole(LogEvent logEvent) =>
        !logEvent.Properties.ContainsKey(FileOnlyProperty) && !logEvent.Properties.ContainsKey(WorkerOutputForwarder.StackFrameProperty);

    /// <summary>Creates the logger; the caller disposes it at the end of the run so the file is flushed.</summary>
    /// <param name="level">The least severe event written.</param>
    /// <param name="logFile">A compact-JSON log file, or null.</param>
    public static Logger Create(LogEventLevel level, string? logFile)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // The worker tag only shapes console lines; the JSON file keeps the structured WorkerId alone.
            .WriteTo.Logger(console => console
                .Filter.ByIncludingOnly(IsForConsole)
                .Enrich.With<WorkerTagEnricher>()
                .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture));
        if (logFile is not null)
        {
            EnsureWritable(logFile);
            configuration = configuration.WriteTo.File(new CompactJsonFormatter(), logFile);
        }

        return configuration.CreateLogger();
    }

    /// <summary>
    /// Opens <paramref name="logFile"/> for appending once, creating its folder as the file sink would: the sink
    /// swallows its own errors, so a path it cannot write would otherwise lose the whole log without a word.
    /// </summary>
    /// <exception cref="IOException">The file or its folder cannot be created or written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its folder is not this user's to write.</exception>
    private static void EnsureWritable(string logFile)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(logFile)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var probe = new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>
    /// <paramref name="logger"/> as the Microsoft.Extensions.Logging logger the host library logs through: every event
    /// the library writes (worker lines at their own level included) reaches the same console and file sinks.
    /// </summary>
    /// <returns>A logger writing to <paramref name="logger"/> under the category <c>SimHost</c>.</returns>
    public static Microsoft.Extensions.Logging.ILogger ForLibrary(ILogger logger)
    {
        // The factory only wraps the Serilog logger (dispose: false): disposing it would release nothing.
#pragma warning disable CA2000
        return new SerilogLoggerFactory(logger, dispose: false).CreateLogger("SimHost");
#pragma warning restore CA2000
    }

    /// <summary>
    /// Adds <c>WorkerTag</c> (" worker 3") to events that carry a <c>WorkerId</c> their message does not already name
    /// (a worker's own lines), for the console template; "Worker 3 ready" is not prefixed with "worker 3" again.
    /// </summary>
    internal sealed class WorkerTagEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            var tag = logEvent.Properties.TryGetValue("WorkerId", out var workerId) && !NamesWorker(logEvent.MessageTemplate)
                ? $" worker {workerId}"
                : string.Empty;
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("WorkerTag", tag));
        }

        private static bool NamesWorker(MessageTemplate template)
        {
            foreach (var token in template.Tokens)
            {
                if (token is Serilog.Parsing.PropertyToken { PropertyName: "WorkerId" })
                {
                    return true;
                }
            }

            return false;
        }
    }
}
