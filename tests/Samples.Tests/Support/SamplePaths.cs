namespace SimHost.Tests.Samples.Support;

/// <summary>The build outputs of the samples, in the configuration and framework these tests were built with.</summary>
internal static class SamplePaths
{
    /// <summary>samples/Grazers/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/Grazers.dll.</summary>
    public static string GrazersModule => Output("Grazers", "Grazers.dll");

    /// <summary>samples/Grazers.Server/bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/Grazers.Server.dll.</summary>
    public static string GrazersServer => Output("Grazers.Server", "Grazers.Server.dll");

    private static string Output(string project, string file)
    {
        var targetFramework = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var configuration = targetFramework.Parent!;
        var repository = configuration.Parent!.Parent!.Parent!.Parent!;
        var path = Path.Combine(repository.FullName, "samples", project, "bin", configuration.Name, targetFramework.Name, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The sample was not built at '{path}'.", path);
    }
}
