using System.Text.RegularExpressions;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Cli;

/// <summary>The real simhost executable: the checksum depends on the seed, never on the number of worker processes.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RunChecksumTests : RunningSimHostFixture
{
    private const string Entities = "20000";
    private const string Frames = "30";

    [Test]
    public async Task Checksum_IsTheSameForZeroOneAndThreeWorkers()
    {
        var inProcess = await RunAsync(workers: 0, seed: 7);
        var oneWorker = await RunAsync(workers: 1, seed: 7);
        var threeWorkers = await RunAsync(workers: 3, seed: 7);

        Assert.Multiple(() =>
        {
            Assert.That(inProcess, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(oneWorker, Is.EqualTo(inProcess), "--workers 1");
            Assert.That(threeWorkers, Is.EqualTo(inProcess), "--workers 3");
        });
    }

    [TestCase(0, "shared")]
    [TestCase(2, "snapshot")]
    [TestCase(2, "shared")]
    public async Task FramesOfKTicks_HaveTheChecksumOfFramesTimesKSingleTicks(int workers, string storage)
    {
        var multiTick = await RunAsync(workers, seed: 7, frames: "10", "--ticks-per-frame", "3", "--storage", storage);
        var singleTick = await RunAsync(workers, seed: 7, frames: "30", "--storage", storage);

        Assert.That(multiTick, Is.EqualTo(singleTick));
    }

    [Test]
    public async Task TheReadmesFirstCommand_EndsWithTheChecksumItsSampleShows()
    {
        // The README's sample summary of `simhost run` with no flags (600 frames, 100000 particles, 2 workers) names its
        // checksum: the same on every machine, so a user can compare theirs.
        var sample = Regex.Match(File.ReadAllText(TestPaths.Readme), @"^checksum: ([0-9a-f]{32})$", RegexOptions.Multiline);
        Assert.That(sample.Success, Is.True, "the README's sample summary ends with a whole checksum");

        var (exitCode, process) = await SimHostProcess.RunAsync("--run-dir", Folder.RunRoot);
        using (process)
        {
            Assert.That(exitCode, Is.Zero, string.Join('\n', process.ErrorLines));
            Assert.That(process.Checksum(), Is.EqualTo(sample.Groups[1].Value));
        }
    }

    [Test]
    public async Task Checksum_DiffersForAnotherSeed()
    {
        var seven = await RunAsync(workers: 1, seed: 7);
        var eight = await RunAsync(workers: 1, seed: 8);

        Assert.That(eight, Is.Not.EqualTo(seven));
    }

    private async Task<string> RunAsync(int workers, int seed, string frames = Frames, params string[] extra)
    {
        var (exitCode, process) = await SimHostProcess.RunAsync(
        [
            "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--entities", Entities,
            "--frames", frames,
            "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--run-dir", Folder.RunRoot,
            .. extra,
        ]);
        using (process)
        {
            Assert.That(exitCode, Is.Zero, $"--workers {workers} exit code; stderr:\n{string.Join('\n', process.ErrorLines)}");
            var leftovers = Folder.Leftovers();
            Assert.That(leftovers.Entries, Is.Empty, $"files left in the run directory root after --workers {workers}");
            return process.Checksum();
        }
    }
}
