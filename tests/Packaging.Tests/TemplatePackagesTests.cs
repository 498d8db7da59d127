using System.Diagnostics;
using SimHost.Tests.Packaging.Support;

namespace SimHost.Tests.Packaging;

/// <summary>
/// What a user does with the packages, from an empty folder: pack them into a feed, install the simhost tool and the
/// templates, create a module with <c>dotnet new simhost-module</c> (also named <c>Arena.World</c>, <c>arena-sim</c> and
/// <c>class.Position</c>, <c>Acme.SimHost</c>: a type or namespace the module uses, not an identifier, a keyword), build and test its solution against
/// the packages only, run
/// it with <c>simhost run --module</c> on 0 and 2 workers (one checksum) and publish a host program that runs it on two workers.
/// </summary>
[NonParallelizable]
public sealed class TemplatePackagesTests
{
    private const string Version = "0.1.0";
    private static readonly TimeSpan s_packGuard = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan s_buildGuard = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_runGuard = TimeSpan.FromMinutes(2);

    private string _root = "";
    private CommandRunner? _commands;

    [SetUp]
    public void CreateTheEmptyFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), $"simhost-packaging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_root);
        var environment = new Dictionary<string, string>
        {
            // A private cache: the packages under test are never confused with a stale copy of the same version.
            ["NUGET_PACKAGES"] = Path.Combine(_root, "packages"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            // No build server or reused node outlives the test.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
        };
        _commands = new CommandRunner(_root, environment);
    }

    [TearDown]
    public void RemoveTheFolderAndItsProcesses()
    {
        _commands?.Dispose();
        ProcessCensus.Kill(ProcessCensus.FindWorkers(_root));
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task Packages_FromAnEmptyFolder_GiveAModuleThatRunsTheSameOnWorkers()
    {
        var commands = _commands!;
        var fromEmptyFolder = Stopwatch.StartNew();
        var repository = RepositoryRoot();
        var feed = Path.Combine(_root, "feed");
        var hive = Path.Combine(_root, "hive");
        var tools = Path.Combine(_root, "tools");
        var moduleFolder = Path.Combine(_root, "Grazers");

        // a. Every package into a feed. Not --no-build: packing SimHost.Host builds its project references (NETSDK1085),
        // so each pack runs an incremental build, up to date after the solution's Release build. The templates build nothing.
        foreach (var project in new[] { "Shared.Layout/Shared.Layout.csproj", "Host/Host.csproj", "Cli/Cli.csproj", "templates/SimHost.Templates/SimHost.Templates.csproj" })
        {
            await commands.RunToSuccessAsync($"dotnet pack {project}", s_packGuard, "dotnet", "pack", Path.Combine(repository, project), "-c", "Release", "-o", feed);
        }

        Assert.That(Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            $"SimHost.Layout.{Version}.nupkg", $"SimHost.Host.{Version}.nupkg", $"simhost.{Version}.nupkg", $"SimHost.Templates.{Version}.nupkg",
        }));

        // b. The feed, then nuget.org for everything else (Serilog, NUnit, ...).
        var nugetConfig = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(nugetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="feed" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        // c. The tool.
        await commands.RunToSuccessAsync("dotnet tool install simhost", s_buildGuard,
            "dotnet", "tool", "install", "simhost", "--tool-path", tools, "--add-source", feed, "--version", Version, "--configfile", nugetConfig);
        var simhost = Path.Combine(tools, "simhost");

        // d. The templates, in a hive of their own, and a module made from them.
        await commands.RunToSuccessAsync("dotnet new install SimHost.Templates", s_runGuard,
            "dotnet", "new", "install", Path.Combine(feed, $"SimHost.Templates.{Version}.nupkg"), "--debug:custom-hive", hive);
        await commands.RunToSuccessAsync("dotnet new simhost-module", s_runGuard,
            "dotnet", "new", "simhost-module", "-n", "Grazers", "-o", moduleFolder, "--debug:custom-hive", hive);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(moduleFolder, "Grazers", "GrazersModule.cs")), "the template renames the project, namespace and class");
            Assert.That(File.Exists(Path.Combine(moduleFolder, "Grazers.slnx")), "one solution holds the module and its test");
        });

        // e. Built against the packages only, and its own test, run on the solution (dotnet test in the folder):
        // in-process and on two workers, one checksum.
        var templateTest = await commands.RunToSuccessAsync("dotnet test Grazers.slnx", s_buildGuard,
            "dotnet", "test", moduleFolder, "-c", "Release", "--logger", "console;verbosity=detailed");
        var firstRunOnWorkers = fromEmptyFolder.Elapsed;
        var templateChecksum = templateTest.Checksum;
        Assert.That(templateChecksum, Is.Not.Null, () => $"the template's test prints its checksum:\n{templateTest.Output}");
        await TestContext.Out.WriteLineAsync($"From the empty folder to the template's first run on workers: {firstRunOnWorkers.TotalSeconds:F0} s (packing included).");

        await RunWithTheCliAsync(commands, simhost, Path.Combine(moduleFolder, "Grazers", "bin", "Release", "net10.0", "Grazers.dll"));

        // e2. Names that are not C# identifiers, or that name a keyword or a type the module uses (World, Position):
        //     folders and projects keep the name, the namespace and class are made valid, and it builds.
        await CreateAndTestAsync(commands, hive, "Arena.World", "WorldModule");
        await CreateAndTestAsync(commands, hive, "arena-sim", "arena_simModule");
        await CreateAndTestAsync(commands, hive, "class.Position", "PositionModule");
        await CreateAndTestAsync(commands, hive, "Acme.SimHost", "SimHostModule");

        // f. A host program of the user's own, published, runs the module on two workers, although it references an
        //    older Serilog than the worker's (which once replaced the worker's copy and failed every worker).
        var consumer = Path.Combine(_root, "Consumer");
        WriteConsumer(consumer);
        var publish = Path.Combine(_root, "pub");
        await commands.RunToSuccessAsync("dotnet publish Consumer", s_buildGuard, "dotnet", "publish", consumer, "-c", "Release", "-o", publish);
        var hosted = await commands.RunToSuccessAsync("dotnet Consumer.dll", s_runGuard, "dotnet", Path.Combine(publish, "Consumer.dll"));
        Assert.Multiple(() =>
        {
            Assert.That(hosted.Output, Does.Contain("workers: 2"), hosted.Output);
            Assert.That(hosted.Checksum, Is.EqualTo(templateChecksum), hosted.Output);
        });

        // g. For the record.
        await TestContext.Out.WriteLineAsync($"Whole packaging run: {fromEmptyFolder.Elapsed.TotalSeconds:F0} s.");
    }

    /// <summary>Creates a module named <paramref name="name"/> and runs its test on its solution: it builds, and gives one checksum.</summary>
    private async Task CreateAndTestAsync(CommandRunner commands, string hive, string name, string moduleClass)
    {
        var folder = Path.Combine(_root, name);
        await commands.RunToSuccessAsync($"dotnet new simhost-module -n {name}", s_runGuard,
            "dotnet", "new", "simhost-module", "-n", name, "-o", folder, "--debug:custom-hive", hive);
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(folder, $"{name}.slnx")), $"{name}.slnx");
            Assert.That(File.Exists(Path.Combine(folder, name, $"{name}.csproj")), $"{name}/{name}.csproj");
            Assert.That(File.Exists(Path.Combine(folder, name, $"{moduleClass}.cs")), $"{name}/{moduleClass}.cs");
        });
        var test = await commands.RunToSuccessAsync($"dotnet test {name}.slnx", s_buildGuard,
            "dotnet", "test", folder, "-c", "Release", "--logger", "console;verbosity=detailed");
        Assert.That(test.Checksum, Is.Not.Null, test.Output);
    }

    private static async Task RunWithTheCliAsync(CommandRunner commands, string simhost, string moduleAssembly)
    {
        // The module seeds the entity count the host gives it: its default, shown by describe, and --entities.
        var describe = await commands.RunToSuccessAsync("simhost describe --module", s_runGuard, simhost, "describe", "--module", moduleAssembly);
        Assert.That(describe.Output, Does.Contain("default entities: 10000"), describe.Output);
        var fewer = await commands.RunToSuccessAsync("simhost run --module --entities 700", s_runGuard,
            simhost, "run", "--module", moduleAssembly, "--workers", "0", "--frames", "3", "--entities", "700");
        Assert.That(fewer.Output, Does.Match(@"entities:\s+700\b"), fewer.Output);

        var inProcess = await commands.RunToSuccessAsync("simhost run --module --workers 0", s_runGuard,
            simhost, "run", "--module", moduleAssembly, "--workers", "0", "--frames", "30");
        var onWorkers = await commands.RunToSuccessAsync("simhost run --module --workers 2", s_runGuard,
            simhost, "run", "--module", moduleAssembly, "--workers", "2", "--frames", "30");
        Assert.That(inProcess.Checksum, Is.Not.Null, inProcess.Output);
        Assert.That(onWorkers.Checksum, Is.EqualTo(inProcess.Checksum), onWorkers.Output);
    }

    /// <summary>A console app referencing SimHost.Host (the package) and the created module: what a user's host program is.</summary>
    private static void WriteConsumer(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SimHost.Host" Version="{Version}" />
                <!-- Older than the worker's own Serilog: the worker must keep its copy, in its own folder. -->
                <PackageReference Include="Serilog" Version="3.1.1" />
                <ProjectReference Include="../Grazers/Grazers/Grazers.csproj" />
              </ItemGroup>
            </Project>
            """);

        // The template's test run: seed 1, 5000 entities, 30 frames of 1/30 s; here on two workers only.
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using Grazers;
            using SimHost.Host.Ecs;
            using SimHost.Host.Modules;
            using SimHost.Host.Simulation;
            using SimHost.Host.Workers;

            var module = new GrazersModule();
            var context = ModuleContext.For(module, seed: 1, entities: 5000);
            await using var pool = await WorkerPool.StartAsync(new WorkerPoolOptions { WorkerCount = 2, JobAssemblies = module.JobAssemblyPaths() });
            Console.WriteLine($"workers: {pool.ParallelSlots}");
            var world = new World();
            using var simulation = module.Build(new SimulationBuilder().WithExecutor(pool), world, context);
            for (var frame = 0; frame < 30; frame++)
            {
                var stats = await simulation.RunFrameAsync(1.0 / 30, frame / 30.0);
                if (stats.HasFailures)
                {
                    Console.Error.WriteLine($"frame {frame} failed");
                    return 1;
                }
            }

            Console.WriteLine($"checksum: {WorldChecksum.Format(module.Checksum(world))}");
            return 0;
            """);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SimHost.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SimHost.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
