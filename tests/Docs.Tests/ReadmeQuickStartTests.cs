using System.Reflection;
using Microsoft.CodeAnalysis;

namespace SimHost.Tests.Docs;

/// <summary>
/// The README's library quick start, taken from README.md itself (its one C# block), compiled as a console program and
/// run: it starts real workers, so the README cannot drift from the code or promise what does not run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ReadmeQuickStartTests
{
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromMinutes(2);
    private string _assemblyPath = null!;

    // The program goes where a user's build puts it: beside SimHost.Host and the worker, which the workers find
    // through the folder (a real project's deps.json says the same).
    [SetUp]
    public void SetUp() => _assemblyPath = Path.Combine(TestContext.CurrentContext.TestDirectory, $"QuickStart-{Guid.NewGuid():N}.dll");

    [TearDown]
    public void TearDown()
    {
        var leftovers = ProcessCensus.FindWorkersOfThisProcess();
        ProcessCensus.Kill(leftovers);
        File.Delete(_assemblyPath);
        Assert.That(leftovers, Is.Empty, "worker processes the quick start left running");
    }

    [Test]
    public void Readme_HasExactlyOneCSharpBlock_TheQuickStart()
    {
        var blocks = MarkdownCodeBlocks.Read(RepositoryFiles.Read("README.md"), "csharp");

        Assert.That(blocks, Has.Count.EqualTo(1), "the README's C# is one complete program a user pastes whole");
    }

    [Test]
    public async Task QuickStart_CompilesAsPasted_AndRunsOnWorkers()
    {
        var block = MarkdownCodeBlocks.Read(RepositoryFiles.Read("README.md"), "csharp")[0];
        SnippetCompiler.Compile(Path.GetFileNameWithoutExtension(_assemblyPath), [($"README.md:{block.Line}", block.Code)], OutputKind.ConsoleApplication, _assemblyPath);

        var output = await RunAsync(_assemblyPath);

        Assert.That(output, Does.Contain("hottest after one second: 35"), "what the README says the program prints");
    }

    // Runs the program's entry point in this process (workers start from this test's bin, where the build put
    // simhost-worker), with its console output captured.
    private static async Task<string> RunAsync(string assemblyPath)
    {
        var entryPoint = Assembly.LoadFrom(assemblyPath).EntryPoint ?? throw new InvalidOperationException("The quick start has no entry point.");
        var original = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (result is Task task)
            {
                await task.WaitAsync(s_hangGuard);
            }
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Hung for {s_hangGuard}: the README quick start");
        }
        finally
        {
            Console.SetOut(original);
        }

        return captured.ToString();
    }
}
