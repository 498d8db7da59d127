using System.Diagnostics;
using System.Text;

namespace SimHost.Tests.Packaging.Support;

/// <summary>
/// Runs the commands a user types (dotnet pack, new, build, test, publish; simhost) in one environment: a private
/// NuGet cache, no build servers or node reuse (so nothing outlives the test), and the repository's MSBuild variables
/// removed. Every command has a hang guard that names it; a command that hangs is killed with its process tree.
/// </summary>
internal sealed class CommandRunner(string workingDirectory, IReadOnlyDictionary<string, string> environment) : IDisposable
{
    private readonly List<Process> _started = [];

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and waits for it, at most <paramref name="hangGuard"/>.</summary>
    public async Task<CommandResult> RunAsync(string name, TimeSpan hangGuard, string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.Where(key => key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.Start();
        _started.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(hangGuard);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{name} hung: still running after {hangGuard.TotalMinutes} minutes; killed. Its output:\n{Tail(output)}");
        }
        finally
        {
            _started.Remove(process);
        }

        // The parameterless wait flushes the redirected output.
        process.WaitForExit();
        var result = new CommandResult(name, process.ExitCode, Text(output));
        TestContext.Out.WriteLine($"{name}: exit code {result.ExitCode}");
        return result;
    }

    /// <summary>Runs a command that must succeed: a non-zero exit code fails the test with the command's output.</summary>
    public async Task<CommandResult> RunToSuccessAsync(string name, TimeSpan hangGuard, string fileName, params string[] arguments)
    {
        var result = await RunAsync(name, hangGuard, fileName, arguments);
        Assert.That(result.ExitCode, Is.Zero, () => $"{name} failed:\n{Tail(result.Output)}");
        return result;
    }

    /// <summary>Kills every command still running (a failed assertion left it), with its process tree.</summary>
    public void Dispose()
    {
        foreach (var process in _started)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended meanwhile.
            }
        }

        _started.Clear();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Tail(StringBuilder output) => Tail(Text(output));

    private static string Tail(string text) => text.Length <= 8000 ? text : "…" + text[^8000..];
}
