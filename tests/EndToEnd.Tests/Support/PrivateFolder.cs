namespace SimHost.Tests.EndToEnd.Support;

/// <summary>
/// A per-test folder under the temp directory, used as simhost's --run-dir root (so run directories, segment files
/// and worker pipes of the test live under it) and for the test's own files.
/// </summary>
internal sealed class PrivateFolder : IDisposable
{
    public PrivateFolder()
    {
        // Short: a worker's socket path (root + run directory + pipe name) must stay under 108 bytes.
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "she2e-" + Guid.NewGuid().ToString("N")[..10]);
        RunRoot = System.IO.Path.Combine(Path, "run");
        Directory.CreateDirectory(RunRoot);
    }

    /// <summary>The test's folder.</summary>
    public string Path { get; }

    /// <summary>The --run-dir root, a subfolder that must be empty when a run ends.</summary>
    public string RunRoot { get; }

    /// <summary>A subfolder of the test's folder, created.</summary>
    public string Subfolder(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    /// <summary>What is left in the run root, and any simhost-worker whose command line names this folder.</summary>
    public (string[] Entries, List<int> Workers) Leftovers() =>
        (Directory.Exists(RunRoot) ? Directory.GetFileSystemEntries(RunRoot, "*", SearchOption.AllDirectories) : [], ProcessCensus.FindWorkers(Path));

    /// <summary>Asserts nothing of a run is left behind, and kills any worker that is; dispose afterwards to delete.</summary>
    public void AssertClean()
    {
        var (entries, workers) = Leftovers();
        ProcessCensus.Kill(workers);
        Assert.Multiple(() =>
        {
            Assert.That(workers, Is.Empty, "simhost-worker processes of this test still running after simhost exited");
            Assert.That(entries, Is.Empty, "files left in the run directory root");
        });
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
