namespace SimHost.Tests.EndToEnd.Support;

/// <summary>Where the built executables and the test job assembly are.</summary>
internal static class TestPaths
{
    /// <summary>simhost.dll, the Cli's output, copied next to the tests because they reference the Cli project.</summary>
    public static string SimHostDll => Existing(Path.Combine(AppContext.BaseDirectory, "simhost.dll"));

    /// <summary>simhost-worker.dll, copied next to simhost by Host's CopyWorkerProcess target.</summary>
    public static string WorkerDll => Existing(Path.Combine(AppContext.BaseDirectory, "simhost-worker.dll"));

    /// <summary>tests/TestJobs/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/SimHost.Tests.Jobs.dll.</summary>
    public static string TestJobsAssembly => OutputOfTestsProject("TestJobs", "SimHost.Tests.Jobs.dll");

    /// <summary>tests/HangingModule/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/SimHost.Tests.HangingModule.dll, a module whose job never returns.</summary>
    public static string HangingModuleAssembly => OutputOfTestsProject("HangingModule", "SimHost.Tests.HangingModule.dll");

    /// <summary>samples/Grazers/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/Grazers.dll, a module loaded by path.</summary>
    public static string GrazersAssembly
    {
        get
        {
            var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            var configuration = targetFramework.Parent!;
            var repository = configuration.Parent!.Parent!.Parent!.Parent!;
            return Existing(Path.Combine(repository.FullName, "samples", "Grazers", "bin", configuration.Name, targetFramework.Name, "Grazers.dll"));
        }
    }

    /// <summary>The repository's README.md, whose summary sample a test holds the real run to.</summary>
    public static string Readme
    {
        get
        {
            var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            var repository = targetFramework.Parent!.Parent!.Parent!.Parent!.Parent!;
            return Existing(Path.Combine(repository.FullName, "README.md"));
        }
    }

    /// <summary>SimHost.Physics.dll (the particles module), copied next to simhost because the Cli references it.</summary>
    public static string ParticlesAssembly => Existing(Path.Combine(AppContext.BaseDirectory, "SimHost.Physics.dll"));

    /// <summary>tests/<paramref name="project"/>/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/<paramref name="dll"/>, built beside this project.</summary>
    private static string OutputOfTestsProject(string project, string dll)
    {
        var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var configuration = targetFramework.Parent!;
        var testsFolder = configuration.Parent!.Parent!.Parent!;
        return Existing(Path.Combine(testsFolder.FullName, project, "bin", configuration.Name, targetFramework.Name, dll));
    }

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"'{path}' was not built; build the test project first.", path);
}
