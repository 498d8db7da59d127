using System.Diagnostics;

namespace SimHost.Tests.SharedLayout.Segments;

/// <summary>Runs tests/SegmentProbe as a separate process; kills it if it is still running when disposed.</summary>
internal sealed class SegmentProbeProcess : IDisposable
{
    // A guard against a hung child, not a timing assertion: the probe normally answers in well under a second.
    private static readonly TimeSpan s_exitGuard = TimeSpan.FromMinutes(1);

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public SegmentProbeProcess(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(ProbeAssemblyPath());
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("The probe process did not start.");
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Waits for the probe to exit and returns its exit code, standard output and standard error.</summary>
    public (int ExitCode, string Output, string Error) WaitForExit()
    {
        if (!_process.WaitForExit(s_exitGuard))
        {
            throw new TimeoutException($"The segment probe did not exit within {s_exitGuard}.");
        }

        return (_process.ExitCode, _stdout.GetAwaiter().GetResult().Trim(), _stderr.GetAwaiter().GetResult().Trim());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    /// <summary>
    /// tests/SegmentProbe/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/SegmentProbe.dll, found from this test
    /// assembly's own tests/Shared.Layout.Tests/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt; folder.
    /// </summary>
    private static string ProbeAssemblyPath()
    {
        var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var configuration = targetFramework.Parent!;
        var testsFolder = configuration.Parent!.Parent!.Parent!;
        string path = Path.Combine(testsFolder.FullName, "SegmentProbe", "bin", configuration.Name, targetFramework.Name, "SegmentProbe.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The segment probe was not built at '{path}'; build tests/Shared.Layout.Tests first.", path);
    }

    // dotnet test sets DOTNET_HOST_PATH to the muxer running it; fall back to the one on PATH.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
