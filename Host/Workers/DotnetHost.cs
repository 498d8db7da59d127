namespace SimHost.Host.Workers;

/// <summary>
/// Finds the <c>dotnet</c> host that starts a framework-dependent worker (<c>dotnet simhost-worker.dll</c>) when it
/// has no apphost of its own. <c>dotnet</c> on the PATH is the last resort, not the first: an application started
/// through its apphost, or a tool through its shim, often runs with no <c>dotnet</c> on the PATH at all.
/// </summary>
internal static class DotnetHost
{
    private static string FileName => OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    /// <summary>Whether <paramref name="processPath"/> is a <c>dotnet</c> host (rather than an application's own executable).</summary>
    public static bool IsDotnet(string processPath) => Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);

    /// <summary>The host to start the worker with.</summary>
    /// <param name="processPath">This process's executable (<see cref="Environment.ProcessPath"/>).</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="runtimeDirectory">The running runtime's folder, <c>ROOT/shared/Microsoft.NETCore.App/VERSION/</c> for a shared runtime.</param>
    /// <param name="exists">Whether a file exists.</param>
    /// <returns>In order: this process when it is <c>dotnet</c>; <c>dotnet</c> in the root of the runtime this process runs
    /// on (the one sure to have the runtime the worker needs); <c>DOTNET_HOST_PATH</c> (set by the SDK); <c>dotnet</c> in
    /// <c>DOTNET_ROOT_ARCH</c> or <c>DOTNET_ROOT</c>; else plain <c>dotnet</c>, found on the PATH.</returns>
    public static string Find(string? processPath, Func<string, string?> environment, string runtimeDirectory, Func<string, bool> exists)
    {
        if (processPath is not null && IsDotnet(processPath))
        {
            return processPath;
        }

        // ROOT/shared/Microsoft.NETCore.App/VERSION/: three folders up. A self-contained application's runtime sits
        // in its own folder, where no dotnet is found, and falls through to the variables and the PATH.
        var runtime = new DirectoryInfo(runtimeDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (runtime.Parent?.Parent?.Parent is { } runtimeRoot && Path.Combine(runtimeRoot.FullName, FileName) is var beside && exists(beside))
        {
            return beside;
        }

        if (environment("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && exists(hostPath))
        {
            return hostPath;
        }

        var architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToUpperInvariant();
        foreach (var variable in (string[])[$"DOTNET_ROOT_{architecture}", "DOTNET_ROOT"])
        {
            if (environment(variable) is { Length: > 0 } root && Path.Combine(root, FileName) is var candidate && exists(candidate))
            {
                return candidate;
            }
        }

        return FileName;
    }
}
