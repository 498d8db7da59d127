using SimHost.Host.Ecs;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Tests.EndToEnd.Support;
using SimHost.Tests.Jobs;

namespace SimHost.Tests.EndToEnd.Crashes;

/// <summary>
/// A job that fails once per range, in a real worker, after scribbling over part of its range: every frame still
/// completes, nothing of the failed run is committed, and the world ends exactly as a crash-free in-process run. (A job
/// that crashes or hangs its worker is retried on workers only; one that throws may also fall back to the host.)
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class CrashOnceTests
{
    private const int Entities = 20000;
    private const int Workers = 2;
    private const ulong Seed = 11;
    private PoolEnvironment _environment = null!;

    [SetUp]
    public void SetUp() => _environment = new PoolEnvironment();

    [TearDown]
    public async Task TearDown() => await _environment.DisposeAsync();

    [TestCase(CrashOnceJobNames.Throw, 8, 1)]
    [TestCase(CrashOnceJobNames.FailFast, 8, 1)]
    [TestCase(CrashOnceJobNames.NativeCrash, 8, 1)]
    [TestCase(CrashOnceJobNames.Spin, 6, 3)]
    public async Task JobFailingOncePerRange_GivesTheCrashFreeChecksum(string jobName, int frames, int failEveryNthFrame)
    {
        // A spinning range costs a whole job timeout, so that job fails on fewer frames and with a short timeout. Each
        // frame takes both workers down; a job that crashed or hung a worker is never run in the host, so the slots
        // must keep coming back (the default intensity gives a slot up after five restarts in 30 s) for its retries.
        var timeout = jobName == CrashOnceJobNames.Spin ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60);
        var pool = await _environment.StartPoolAsync(Workers, timeout, new RestartPolicy { MaxRestarts = int.MaxValue });
        var markers = _environment.MarkerDirectory;
        var parameters = new CrashOnceParameters(PhysicsParameters.Default, failEveryNthFrame, markers).ToBytes();
        var world = new World();
        int rangesFailed;
        using (var simulation = ParticleRun.Create(world, pool, _environment.RunDirectory, jobName, parameters, Entities, Seed))
        {
            rangesFailed = await ParticleRun.RunFramesAsync(simulation, frames, betweenFrames: null);
        }

        var checksum = WorldChecksum.Compute(world, SimHost.Physics.ParticlesModule.ParticleComponents);
        var reference = await ParticleRun.ReferenceChecksumAsync(Entities, Seed, frames);
        var scribbled = CountScribbledRows(world);
        var crashes = Directory.GetFiles(markers, "*" + CrashOnceJobNames.MarkerExtension).Length;
        await TestContext.Out.WriteLineAsync($"{jobName}: {crashes} ranges failed on purpose, {rangesFailed} failed ranges reported, {pool.RestartCount} worker restarts");

        Assert.Multiple(() =>
        {
            Assert.That(crashes, Is.GreaterThan(0), "the job failed at least once in a worker");
            Assert.That(rangesFailed, Is.GreaterThanOrEqualTo(crashes), "every failure was reported as a failed range");
            Assert.That(scribbled, Is.Zero, "rows scribbled over by a failed run were committed");
            Assert.That(WorldChecksum.Format(checksum), Is.EqualTo(WorldChecksum.Format(reference)), "checksum against the crash-free in-process run");
        });
    }

    private static int CountScribbledRows(World world)
    {
        var count = 0;
        world.Query().All<Position>().ForEach((ref Position position) => count += position.X == CrashOnceJobNames.ScribbleValue ? 1 : 0);
        return count;
    }
}
