using System.Globalization;

namespace SimHost.Tests.EndToEnd.Support;

/// <summary>
/// A fixture that runs one simhost at a time in a private folder: whatever a test leaves running (the host, its
/// workers) is killed in TearDown, and the folder must be clean (no run directory, segment or pipe left behind).
/// </summary>
public abstract class RunningSimHostFixture
{
    /// <summary>The test's private folder (its run root among others).</summary>
    private protected PrivateFolder Folder { get; private set; } = null!;

    /// <summary>The simhost the test started, if any; TearDown kills it and its workers.</summary>
    private protected SimHostProcess? SimHost { get; set; }

    [SetUp]
    public void CreateFolder() => Folder = new PrivateFolder();

    [TearDown]
    public void StopAndCheckClean()
    {
        try
        {
            if (SimHost is not null)
            {
                ProcessCensus.Kill(ProcessCensus.FindWorkers(WorkerMarker(SimHost)));
                SimHost.Dispose();
            }

            Folder.AssertClean();
        }
        finally
        {
            Folder.Dispose();
        }
    }

    /// <summary>The marker in a worker's command line that names the host that started it.</summary>
    private protected static string WorkerMarker(SimHostProcess simhost)
    {
        ArgumentNullException.ThrowIfNull(simhost);
        return $"simhost-{simhost.ProcessId.ToString(CultureInfo.InvariantCulture)}-";
    }
}
