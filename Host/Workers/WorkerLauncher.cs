using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// Finds simhost-worker next to the host and starts it: through its apphost when present, else as
/// <c>dotnet simhost-worker.dll</c> with the dotnet host that runs this process. The token goes to the child's
/// stdin so it never appears in a process listing; the child's log events and other output are replayed into
/// the host's log (<see cref="WorkerOutputForwarder"/>).
/// </summary>
internal sealed class WorkerLauncher
{
    /// <summary>The worker's assembly file name.</summary>
    public const string WorkerAssemblyFileName = "simhost-worker.dll";

    /// <summary>The worker's own folder beside the application, as the SimHost.Host package lays it out.</summary>
    public const string WorkerFolderName = "simhost-worker";

    internal const string WorkerAppHostName = "simhost-worker";

    private readonly string _fileName;
    private readonly string? _assemblyPath;

    private WorkerLauncher(string fileName, string? assemblyPath)
    {
        _fileName = fileName;
        _assemblyPath = assemblyPath;
    }

    /// <summary>A launcher for a pool of no workers, which never starts one and so needs no worker executable.</summary>
    public static WorkerLauncher None { get; } = new(string.Empty, null);

    /// <summary>
    /// Finds the worker in <paramref name="directory"/> (default: next to the host): in its own folder
    /// <see cref="WorkerFolderName"/> there, where the SimHost.Host package puts it with its own dependencies so that
    /// an application's older copy of one (a Serilog, say) never replaces the worker's, else beside the host. By
    /// default "next to the host" is the application's base directory and, when that is elsewhere (a single-file app
    /// extracted to a temporary folder), the folder of the executable.
    /// </summary>
    /// <exception cref="WorkerStartException">simhost-worker.dll is in none of those folders.</exception>
    public static WorkerLauncher Locate(string? directory = null)
    {
        var searched = new List<string>();
        foreach (var candidate in directory is null ? DefaultDirectories() : [directory])
        {
            foreach (var folder in (string[])[Path.Combine(candidate, WorkerFolderName), candidate])
            {
                var assemblyPath = Path.Combine(folder, WorkerAssemblyFileName);
                if (File.Exists(assemblyPath))
                {
                    return ForFolder(folder, assemblyPath);
                }

                searched.Add(folder);
            }
        }

        throw new WorkerStartException(
            $"The worker ({WorkerAssemblyFileName}) is in none of {string.Join(", ", searched)}; reference the SimHost.Host package or the Host project (their build and publish put it in {WorkerFolderName}/ beside the application), or set WorkerPoolOptions.WorkerDirectory to the folder that holds it.");
    }

    private static IEnumerable<string> DefaultDirectories()
    {
        yield return AppContext.BaseDirectory;
        var process = Environment.ProcessPath;
        var processFolder = Path.GetDirectoryName(process);
        if (processFolder is not null && !DotnetHost.IsDotnet(process!)
            && Path.GetFullPath(processFolder).TrimEnd(Path.DirectorySeparatorChar) != Path.GetFullPath(AppContext.BaseDirectory).TrimEnd(Path.DirectorySeparatorChar))
        {
            yield return processFolder;
        }
    }

    private static WorkerLauncher ForFolder(string folder, string assemblyPath)
    {
        var appHost = Path.Combine(folder, OperatingSystem.IsWindows() ? WorkerAppHostName + ".exe" : WorkerAppHostName);
        return File.Exists(appHost)
            ? new WorkerLauncher(appHost, null)
            : new WorkerLauncher(DotnetHost.Find(Environment.ProcessPath, Environment.GetEnvironmentVariable, RuntimeEnvironment.GetRuntimeDirectory(), File.Exists), assemblyPath);
    }

    /// <summary>
    /// Starts worker <paramref name="workerId"/>, hands it the token and forwards its output to <paramref name="logger"/>.
    /// With <paramref name="mailbox"/>, the worker opens that mailbox before Hello and takes JobStart from it.
    /// </summary>
    /// <exception cref="WorkerStartException">The process could not be started.</exception>
    public Process Start(
        uint workerId, string pipePath, AuthToken token, IReadOnlyList<string> jobAssemblies, ILogger logger, MailboxChannel? mailbox = null)
    {
        var startInfo = new ProcessStartInfo(_fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (_assemblyPath is not null)
        {
            startInfo.ArgumentList.Add(_assemblyPath);
        }

        startInfo.ArgumentList.Add("--pipe");
        startInfo.ArgumentList.Add(pipePath);
        startInfo.ArgumentList.Add("--worker-id");
        startInfo.ArgumentList.Add(workerId.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add("--parent-pid");
        startInfo.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (mailbox is not null)
        {
            startInfo.ArgumentList.Add("--mailbox");
            startInfo.ArgumentList.Add(mailbox.Mailbox.Path);
            startInfo.ArgumentList.Add("--mailbox-spin");
            startInfo.ArgumentList.Add(mailbox.WorkerIdle.SpinCount.ToString(CultureInfo.InvariantCulture));
            startInfo.ArgumentList.Add("--mailbox-idle-spin-us");
            startInfo.ArgumentList.Add(((long)mailbox.WorkerIdle.SpinLimit.TotalMicroseconds).ToString(CultureInfo.InvariantCulture));
        }

        foreach (var assembly in jobAssemblies)
        {
            startInfo.ArgumentList.Add("--job-assembly");
            startInfo.ArgumentList.Add(Path.GetFullPath(assembly));
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            var hint = _assemblyPath is null ? string.Empty : "; the worker needs the .NET runtime: install it, or set DOTNET_ROOT or DOTNET_HOST_PATH";
            throw new WorkerStartException($"Worker {workerId} could not be started ({_fileName}): {exception.Message}{hint}", exception);
        }

        RuntimeIpcFiles.Track(process);

        // Read with bounded lines: a job that prints without newlines must not grow the host's memory.
        WorkerOutputPump.Start(process, new WorkerOutputForwarder(logger, workerId));
        try
        {
            process.StandardInput.WriteLine(token.ToHexString());
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child died at once; the handshake wait reports its exit.
        }

        return process;
    }
}
