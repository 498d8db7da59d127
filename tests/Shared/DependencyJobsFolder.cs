namespace SimHost.Tests;

/// <summary>
/// tests/TestJobsWithDependency's build output, where its deps.json and packages live; or a private copy of it with
/// some files removed, so a dependency is missing exactly where the test wants it missing. A copy is deleted on
/// <see cref="Dispose"/>. Shared as source by the test projects that load the assembly by path.
/// </summary>
internal sealed class DependencyJobsFolder : IDisposable
{
    private const string AssemblyFileName = "SimHost.Tests.JobsWithDependency.dll";
    private readonly bool _isCopy;

    private DependencyJobsFolder(string folder, bool isCopy)
    {
        Folder = folder;
        _isCopy = isCopy;
    }

    /// <summary>The folder holding the assembly.</summary>
    public string Folder { get; }

    /// <summary>The job assembly's full path in <see cref="Folder"/>.</summary>
    public string AssemblyPath => System.IO.Path.Combine(Folder, AssemblyFileName);

    /// <summary>tests/TestJobsWithDependency/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/SimHost.Tests.JobsWithDependency.dll.</summary>
    public static string BuiltAssemblyPath => Built().AssemblyPath;

    /// <summary>The project's own output folder (not a copy; never deleted).</summary>
    public static DependencyJobsFolder Built()
    {
        var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var configuration = targetFramework.Parent!;
        var testsFolder = configuration.Parent!.Parent!.Parent!;
        var folder = System.IO.Path.Combine(testsFolder.FullName, "TestJobsWithDependency", "bin", configuration.Name, targetFramework.Name);
        var built = new DependencyJobsFolder(folder, isCopy: false);
        return File.Exists(built.AssemblyPath)
            ? built
            : throw new FileNotFoundException($"The dependency test jobs were not built at '{built.AssemblyPath}'.", built.AssemblyPath);
    }

    /// <summary>Copies the output folder to a fresh temp folder, leaving out <paramref name="fileNames"/>.</summary>
    public static DependencyJobsFolder CopyWithout(params string[] fileNames)
    {
        var source = Built().Folder;

        // Short: the e2e tests' worker sockets live elsewhere, but paths of this folder end up in error lines.
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "shdeps-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source))
        {
            var name = System.IO.Path.GetFileName(file);
            if (!fileNames.Contains(name, StringComparer.Ordinal))
            {
                File.Copy(file, System.IO.Path.Combine(folder, name));
            }
        }

        return new DependencyJobsFolder(folder, isCopy: true);
    }

    public void Dispose()
    {
        if (_isCopy && Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
