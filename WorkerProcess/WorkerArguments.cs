using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SimHost.Layout.Signals;

namespace SimHost.Worker;

/// <summary>
/// The worker's command line: <c>--pipe NAME --worker-id N --parent-pid PID [--mailbox PATH [--mailbox-spin N] [--mailbox-idle-spin-us N]]
/// [--job-assembly PATH]...</c>.
/// </summary>
/// <param name="PipeName">The host's pipe: a short name or a rooted socket path.</param>
/// <param name="WorkerId">The id the host gave this worker; echoed in Hello.</param>
/// <param name="ParentProcessId">The host's process id; the worker exits when it is gone.</param>
/// <param name="JobAssemblies">The job assemblies to load, each with its dependencies: the worker has no jobs of its own.</param>
public sealed record WorkerArguments(string PipeName, uint WorkerId, int ParentProcessId, IReadOnlyList<string> JobAssemblies)
{
    /// <summary>The shared-memory mailbox JobStart arrives through (docs/signals.md); null when the host uses the pipe only.</summary>
    public string? MailboxPath { get; init; }

    /// <summary>
    /// How the mailbox thread waits for the next JobStart (<c>--mailbox-spin</c> tight spins, then up to
    /// <c>--mailbox-idle-spin-us</c> of yielding spin while frames come back to back, then park); the host's choice.
    /// </summary>
    public IdleStrategy MailboxIdle { get; init; }

    /// <summary>Parses the command line by hand: it is small, fixed and written by the host.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="arguments">The parsed arguments on success.</param>
    /// <param name="error">A one-line reason on failure.</param>
    /// <returns>Whether the arguments are complete and valid.</returns>
    public static bool TryParse(
        IReadOnlyList<string> args, [NotNullWhen(true)] out WorkerArguments? arguments, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        arguments = null;
        string? pipe = null;
        uint? workerId = null;
        int? parentPid = null;
        string? mailbox = null;
        var spin = 0;
        var idleSpinMicroseconds = 0;
        var assemblies = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"option '{option}' needs a value";
                return false;
            }

            var value = args[++i];
            switch (option)
            {
                case "--pipe" when value.Length > 0:
                    pipe = value;
                    break;
                case "--worker-id" when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    workerId = id;
                    break;
                case "--parent-pid" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0:
                    parentPid = pid;
                    break;
                case "--mailbox" when value.Length > 0:
                    mailbox = value;
                    break;
                case "--mailbox-spin" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                    spin = count;
                    break;
                case "--mailbox-idle-spin-us" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds):
                    idleSpinMicroseconds = microseconds;
                    break;
                case "--job-assembly" when value.Length > 0:
                    assemblies.Add(value);
                    break;
                case "--pipe" or "--worker-id" or "--parent-pid" or "--job-assembly" or "--mailbox" or "--mailbox-spin" or "--mailbox-idle-spin-us":
                    error = $"option '{option}' has an invalid value '{value}'";
                    return false;
                default:
                    error = $"unknown option '{option}'";
                    return false;
            }
        }

        error = pipe is null ? "missing --pipe" : workerId is null ? "missing --worker-id" : parentPid is null ? "missing --parent-pid" : null;
        if (error is not null)
        {
            return false;
        }

        arguments = new WorkerArguments(pipe!, workerId!.Value, parentPid!.Value, assemblies)
        {
            MailboxPath = mailbox,
            MailboxIdle = IdleStrategy.SpinYieldThenPark(spin, TimeSpan.FromMicroseconds(idleSpinMicroseconds)),
        };
        return true;
    }
}
