using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SimHost.Tests.EndToEnd.Support;

/// <summary>
/// One real <c>simhost run</c> process (<c>dotnet simhost.dll run ...</c>) with its stdout and stderr captured line by
/// line. It is started through <c>env --default-signal=INT</c>: a test runner started in the background may have
/// SIGINT ignored, and an ignored signal stays ignored across exec, which would make Ctrl-C tests meaningless.
/// <see cref="StartInOwnProcessGroup"/> puts it (and so its workers) in a process group of its own through
/// <c>setsid</c>, which execs in place, so the process id is the group's id: a signal to the group is a terminal's Ctrl-C.
/// </summary>
internal sealed class SimHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private (Func<string, bool> Match, TaskCompletionSource<string> Found)? _awaitedErrorLine;

    private SimHostProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_lock)
            {
                return [.. _error];
            }
        }
    }

    public static SimHostProcess Start(params string[] runArguments) => Start(ownProcessGroup: false, "run", runArguments);

    /// <summary>Starts simhost as the leader of a new session and process group, as a terminal starts a command.</summary>
    public static SimHostProcess StartInOwnProcessGroup(params string[] runArguments) => Start(ownProcessGroup: true, "run", runArguments);

    private static SimHostProcess Start(bool ownProcessGroup, string command, string[] arguments, string[]? wrapper = null)
    {
        var start = new ProcessStartInfo(wrapper is [var program, ..] ? program : ownProcessGroup ? "setsid" : "env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in wrapper?.Skip(1) ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        if (ownProcessGroup || wrapper is not null)
        {
            start.ArgumentList.Add("env");
        }

        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
        start.ArgumentList.Add(TestPaths.SimHostDll);
        start.ArgumentList.Add(command);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var simhost = new SimHostProcess(process);
        process.OutputDataReceived += (_, e) => simhost.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => simhost.OnLine(e.Data, isError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return simhost;
    }

    /// <summary>Runs simhost to its end (under the hang guard) and returns the exit code.</summary>
    public static async Task<(int ExitCode, SimHostProcess Process)> RunAsync(params string[] runArguments)
    {
        var process = Start(runArguments);
        var exitCode = await process.WaitForExitAsync($"simhost run {string.Join(' ', runArguments)}");
        return (exitCode, process);
    }

    /// <summary>
    /// Runs simhost to its end (under the hang guard) as the last arguments of <paramref name="wrapper"/>, a command that
    /// runs its last arguments as a program (e.g. <c>unshare</c> with a shell that mounts a file system first).
    /// </summary>
    public static async Task<(int ExitCode, SimHostProcess Process)> RunWrappedAsync(string[] wrapper, params string[] runArguments)
    {
        var process = Start(ownProcessGroup: false, "run", runArguments, wrapper);
        var exitCode = await process.WaitForExitAsync($"{wrapper[0]} … simhost run {string.Join(' ', runArguments)}");
        return (exitCode, process);
    }

    /// <summary>Runs <c>simhost describe</c> to its end (under the hang guard) and returns the exit code.</summary>
    public static async Task<(int ExitCode, SimHostProcess Process)> DescribeAsync(params string[] describeArguments)
    {
        var process = Start(ownProcessGroup: false, "describe", describeArguments);
        var exitCode = await process.WaitForExitAsync($"simhost describe {string.Join(' ', describeArguments)}");
        return (exitCode, process);
    }

    /// <summary>Waits (under the hang guard) for the first stderr line that matches.</summary>
    public Task<string> WaitForErrorLineAsync(Func<string, bool> match, string what)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            foreach (var line in _error)
            {
                if (match(line))
                {
                    return Task.FromResult(line);
                }
            }

            _awaitedErrorLine = (match, found);
        }

        return HangGuard.Within(found.Task, $"simhost to write {what} on stderr; stderr so far:\n{string.Join('\n', ErrorLines)}");
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await HangGuard.Within(kill.WaitForExitAsync(), "kill -INT");
        Assert.That(kill.ExitCode, Is.Zero, "kill -INT failed");
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM, KILL) to simhost alone, or to its whole process group as a terminal does.</summary>
    public async Task SignalAsync(string signal, bool wholeGroup)
    {
        var pid = _process.Id.ToString(CultureInfo.InvariantCulture);
        if (wholeGroup)
        {
            Assert.That(ProcessGroupOf(_process.Id), Is.EqualTo(_process.Id), "simhost leads its own process group (started through setsid)");
        }

        using var kill = Process.Start("kill", ["-" + signal, "--", wholeGroup ? "-" + pid : pid]);
        await HangGuard.Within(kill.WaitForExitAsync(), $"kill -{signal}");
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{signal} failed");
    }

    /// <summary>Waits (under the hang guard) for simhost to exit and its output to be read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(string what)
    {
        await HangGuard.Within(Task.WhenAll(_process.WaitForExitAsync(), _outputClosed.Task, _errorClosed.Task), $"{what} to exit; stderr so far:\n{string.Join('\n', ErrorLines)}");
        return _process.ExitCode;
    }

    /// <summary>The value of the summary's <c>checksum:</c> line.</summary>
    public string Checksum()
    {
        foreach (var line in Output.Split('\n'))
        {
            if (line.StartsWith("checksum:", StringComparison.Ordinal))
            {
                return line["checksum:".Length..].Trim();
            }
        }

        Assert.Fail($"No 'checksum:' line in stdout:\n{Output}\nstderr:\n{string.Join('\n', ErrorLines)}");
        return "";
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>The process group of <paramref name="pid"/>, from /proc (the product's one /proc/PID/stat reader).</summary>
    private static int ProcessGroupOf(int pid) =>
        SimHost.Layout.Segments.ProcessIdentity.ProcessGroupOf(pid) ?? throw new InvalidOperationException($"process {pid} has no /proc entry");

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            (isError ? _errorClosed : _outputClosed).TrySetResult();
            return;
        }

        TaskCompletionSource<string>? found = null;
        lock (_lock)
        {
            (isError ? _error : _output).Add(line);
            if (isError && _awaitedErrorLine is { } awaited && awaited.Match(line))
            {
                found = awaited.Found;
                _awaitedErrorLine = null;
            }
        }

        found?.TrySetResult(line);
    }
}
