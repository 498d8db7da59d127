namespace SimHost.Tests.Docs;

/// <summary>Finds the repository's files from the test's bin folder (the folder that holds SimHost.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "SimHost.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No SimHost.sln above {TestContext.CurrentContext.TestDirectory}.");
        }
    }

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
