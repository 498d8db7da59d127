using System.Text.Json;
using SimHost.Host.Cli;
using SimHost.Host.Ecs;
using SimHost.Host.Inspecting;
using SimHost.Host.Persistence;
using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Tests.Host.Cli;

/// <summary>
/// <c>simhost inspect</c> shows a checkpoint's manifest, archetypes and layouts, verifies every hash and header rule,
/// and reports damage naming the file and the rule with exit 1, never a crash.
/// </summary>
public sealed class InspectCommandTests
{
    private string _checkpoint = null!;

    [SetUp]
    public void SetUp()
    {
        _checkpoint = Path.Combine(Path.GetTempPath(), $"simhost-inspect-{Guid.NewGuid():N}");
        var world = new World();
        ParticlesModule.Seed(world, 1_000, seed: 2, PhysicsParameters.Default);
        WorldCheckpoint.Save(world, _checkpoint);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_checkpoint, recursive: true);

    [Test]
    public async Task Inspect_AWholeCheckpoint_ShowsArchetypesAndLayouts_AndVerifies()
    {
        var (exitCode, _, output, error) = await CommandLineRun.InvokeAsync("inspect", _checkpoint);

        Assert.That(error, Is.Empty);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(output, Does.Contain("archetype-0001.seg: 1000 rows [Position, Velocity]"));
        Assert.That(output, Does.Contain($"{typeof(Position).FullName}: 12 bytes"));
        Assert.That(output, Does.Contain("X: f32 @ 0"));
        Assert.That(output, Does.Contain("verified: every hash and header rule holds"));
    }

    [Test]
    public async Task Inspect_Json_IsOneDocumentWithTheManifest()
    {
        var (exitCode, _, output, _) = await CommandLineRun.InvokeAsync("inspect", "--json", _checkpoint);

        using var document = JsonDocument.Parse(output);
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(document.RootElement.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(document.RootElement.GetProperty("checkpoints")[0].GetProperty("manifest").GetProperty("entityCount").GetInt32(), Is.EqualTo(1_000));
    }

    [Test]
    public async Task Inspect_ASingleSegmentFile_ShowsItsHeader()
    {
        var (exitCode, _, output, _) = await CommandLineRun.InvokeAsync("inspect", Path.Combine(_checkpoint, "archetype-0001.seg"));

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(output, Does.Contain("1000 of 1000 rows"));
    }

    [TestCase("archetype-0001.seg", 3000, "HashMismatch")]
    [TestCase("entities.seg", -1, "LengthMismatch")]
    [TestCase("manifest", 10, "ManifestHashMismatch")]
    public async Task Inspect_ADamagedFile_NamesTheFileAndTheRule_Exit1(string file, int flipAt, string rule)
    {
        var path = Path.Combine(_checkpoint, file);
        var bytes = File.ReadAllBytes(path);
        if (flipAt < 0)
        {
            bytes = bytes[..^64];
        }
        else
        {
            bytes[flipAt] ^= 0x10;
        }

        File.WriteAllBytes(path, bytes);
        var (exitCode, _, output, _) = await CommandLineRun.InvokeAsync("inspect", _checkpoint);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
        Assert.That(output, Does.Contain($"FAILED {Path.GetFileName(_checkpoint)}/{file}: {rule}"));
    }

    [Test]
    public void Inspect_NamesFlaggedColumns_ChangedTicksInACheckpoint_AScratchCopyInALiveSegment()
    {
        const uint Flag = 0x8000_0000;
        var report = new InspectionReport("/dev/shm/simhost-1-run", "run-directory");
        report.Segments.Add(new SegmentSummary("archetype1-g1.seg", 4096, 10, 64, 3, 0x1234,
        [
            new(0, 12, 0xfc03), new(Flag | 0, 12, 0xfc03), new(Flag | 1, 4, CheckpointSegment.TickColumnLayoutHash),
        ]));

        var text = InspectionWriter.Text(report);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("column component 0: 12 bytes per row"));
            Assert.That(text, Does.Contain("column component 0 (scratch copy): 12 bytes per row"));
            Assert.That(text, Does.Contain("column changed ticks of component 1: 4 bytes per row"));
            Assert.That(text, Does.Not.Contain("2147483648"));
        });
    }

    [Test]
    public async Task Inspect_ABadSegmentHeader_NamesTheSegmentRule()
    {
        var path = Path.Combine(_checkpoint, "archetype-0001.seg");
        var bytes = File.ReadAllBytes(path);
        bytes[8] = 9; // format version
        File.WriteAllBytes(path, bytes);

        var (exitCode, _, output, _) = await CommandLineRun.InvokeAsync("inspect", path);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
        Assert.That(output, Does.Contain("FAILED archetype-0001.seg: UnsupportedVersion"));
    }

    [Test]
    public async Task Inspect_ACheckpointWithoutItsManifest_IsAMissingManifest_Exit1()
    {
        File.Delete(Path.Combine(_checkpoint, "manifest"));

        var (exitCode, _, output, _) = await CommandLineRun.InvokeAsync("inspect", _checkpoint);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
        Assert.That(output, Does.Contain($"FAILED {Path.GetFileName(_checkpoint)}/manifest: MissingManifest"));
    }

    [Test]
    public async Task Inspect_AFolderOfCheckpoints_WithOneMissingItsManifest_NamesIt()
    {
        var folder = Path.Combine(_checkpoint, "all");
        var whole = Path.Combine(folder, "checkpoint-000000000010");
        var damaged = Path.Combine(folder, "checkpoint-000000000020");
        Directory.CreateDirectory(whole);
        Directory.CreateDirectory(damaged);
        foreach (var file in Directory.GetFiles(_checkpoint))
        {
            File.Copy(file, Path.Combine(whole, Path.GetFileName(file)));
            File.Copy(file, Path.Combine(damaged, Path.GetFileName(file)));
        }

        File.Delete(Path.Combine(damaged, "manifest"));
        var (exitCode, _, output, _) = await CommandLineRun.InvokeAsync("inspect", folder);

        Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
        Assert.That(output, Does.Contain("FAILED checkpoint-000000000020/manifest: MissingManifest"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Inspect_AFolderARunIsRotating_ReportsTheCheckpointRemovedMeanwhile_AsNoProblem(bool deleted)
    {
        // The run's rotation removes the oldest checkpoint after inspect listed the folder: renamed to a hidden spare, or
        // deleted.
        var folder = Path.Combine(_checkpoint, "live");
        var oldest = CopyCheckpointTo(folder, "checkpoint-000000000010");
        CopyCheckpointTo(folder, "checkpoint-000000000020");

        var report = Inspector.Inspect(folder, beforeEachCheckpoint: directory =>
        {
            if (directory != oldest)
            {
                return;
            }

            if (deleted)
            {
                Directory.Delete(directory, recursive: true);
            }
            else
            {
                Directory.Move(directory, Path.Combine(folder, ".checkpoint-000000000010.old-1"));
            }
        });

        var text = InspectionWriter.Text(report);
        Assert.Multiple(() =>
        {
            Assert.That(report.Problems, Is.Empty, text);
            Assert.That(report.RemovedWhileInspected, Has.Count.EqualTo(1).And.Contains("checkpoint-000000000010"));
            Assert.That(report.Checkpoints, Has.Count.EqualTo(1), "the newest is inspected as ever");
            Assert.That(text, Does.Contain("checkpoint-000000000010: removed while inspected"));
        });
    }

    [Test]
    public async Task Inspect_AFolderWithADamagedCheckpointThatStays_StillReportsIt()
    {
        var folder = Path.Combine(_checkpoint, "damaged");
        var damaged = CopyCheckpointTo(folder, "checkpoint-000000000010");
        CopyCheckpointTo(folder, "checkpoint-000000000020");
        File.Delete(Path.Combine(damaged, "entities.seg"));

        var (exitCode, _, output, _) = await CommandLineRun.InvokeAsync("inspect", folder, "--json");

        using var document = System.Text.Json.JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(document.RootElement.GetProperty("removedWhileInspected").GetArrayLength(), Is.Zero);
            Assert.That(document.RootElement.GetProperty("problems")[0].GetProperty("file").GetString(), Is.EqualTo("checkpoint-000000000010/entities.seg"));
        });
    }

    private string CopyCheckpointTo(string folder, string name)
    {
        var target = Path.Combine(folder, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(_checkpoint))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Inspect_AFifo_IsReportedAsTooShort_InsteadOfWaitingForAWriter()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("mkfifo is a Unix tool");
        }

        var fifo = Path.Combine(_checkpoint, "pipe.seg");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.That(mkfifo.ExitCode, Is.Zero, "mkfifo");
        }

        // Opening a FIFO for reading waits for a writer: the hang guard names what hung.
        // On a thread of its own: inspect reads synchronously, so a hung open would never reach the guard below.
        var inspect = Task.Run(() => CommandLineRun.InvokeAsync("inspect", fifo));
        Assert.That(await Task.WhenAny(inspect, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(inspect), "simhost inspect of a FIFO hung");
        var (exitCode, _, output, _) = await inspect;

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.RunFailed));
            Assert.That(output, Does.Contain("FAILED pipe.seg: Truncated"));
        });
    }

    [Test]
    public async Task Inspect_AMissingPath_IsOneLine_Exit2()
    {
        var (exitCode, _, _, error) = await CommandLineRun.InvokeAsync("inspect", "/nonexistent/checkpoint");

        Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(error, Does.StartWith("simhost: inspect: '/nonexistent/checkpoint' is neither"));
    }

    [Test]
    public async Task Inspect_AMissingPath_WithJson_IsAlsoADocument_OkFalse_WithTheError()
    {
        var path = "/nonexistent/it's-gone";
        var (exitCode, _, output, error) = await CommandLineRun.InvokeAsync("inspect", path, "--json");

        using var document = System.Text.Json.JsonDocument.Parse(output);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(ExitCodes.UsageError));
            Assert.That(document.RootElement.GetProperty("ok").GetBoolean(), Is.False);
            Assert.That(document.RootElement.GetProperty("path").GetString(), Is.EqualTo(path));
            Assert.That("simhost: " + document.RootElement.GetProperty("error").GetString(), Is.EqualTo(error.TrimEnd()));
            Assert.That(output, Does.Contain("it's-gone"), "a quote is left as it is, not \\u0027");
        });
    }
}
