using System.Diagnostics;
using SimHost.Host.Ecs;
using SimHost.Host.Simulation;
using SimHost.Host.Workers;
using SimHost.Physics;
using SimHost.Physics.Jobs;
using SimHost.Tests.EndToEnd.Support;

namespace SimHost.Tests.EndToEnd.Chaos;

/// <summary>
/// Worker processes killed at random moments (while starting, mid-job, between frames) never fail the host or change
/// the answer: every frame completes and the world ends exactly as the in-process run.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class WorkerKillerTests
{
    private const int Entities = 20000;
    private const int Frames = 300;
    private const int Workers = 3;
    private const ulong Seed = 5;
    private const int KillerSeed = 20261126;
    private const int MaxKills = 60;
    private PoolEnvironment _environment = null!;

    [SetUp]
    public void SetUp() => _environment = new PoolEnvironment();

    [TearDown]
    public async Task TearDown() => await _environment.DisposeAsync();

    [Test]
    public async Task RandomWorkerKills_NeverChangeTheChecksum()
    {
        // A worker killed before its Hello counts as a failed start, and the default policy gives a slot up after three
        // in a row; the killer would soon leave no worker to kill. Keep restarting, so kills go on hitting real workers.
        var pool = await _environment.StartPoolAsync(Workers, TimeSpan.FromSeconds(60), new RestartPolicy { MaxConsecutiveStartFailures = int.MaxValue, MaxRestarts = int.MaxValue });
        var world = new World();
        var killer = new WorkerKiller(pool, _environment.RunDirectory.Path, KillerSeed, MaxKills);
        using var stop = new CancellationTokenSource();
        var random = new Random(KillerSeed + 1);
        using (var simulation = ParticleRun.Create(world, pool, _environment.RunDirectory, PhysicsStepJob.JobName, PhysicsParameters.Default.ToBytes(), Entities, Seed))
        {
            var killing = Task.Run(() => killer.RunAsync(stop.Token));

            // Between frames too: a kill right before a frame's ranges are handed out.
            await ParticleRun.RunFramesAsync(simulation, Frames, _ => random.Next(10) == 0 ? killer.KillOneAsync("between frames") : Task.CompletedTask);
            await stop.CancelAsync();
            await HangGuard.Within(killing, "the killer task to stop");
        }

        var checksum = WorldChecksum.Compute(world, SimHost.Physics.ParticlesModule.ParticleComponents);
        var reference = await ParticleRun.ReferenceChecksumAsync(Entities, Seed, Frames);
        var restarts = pool.RestartCount;
        var alive = pool.ParallelSlots;
        var leftFiles = await _environment.StopPoolAsync();
        await TestContext.Out.WriteLineAsync(
            $"Survived {killer.Kills} worker kills ({killer.KillsBetweenFrames} between frames) over {Frames} frames; {restarts} restarts, {alive} workers alive at the end");

        Assert.Multiple(() =>
        {
            Assert.That(killer.Kills, Is.GreaterThan(0), "the killer killed at least one worker");
            Assert.That(WorldChecksum.Format(checksum), Is.EqualTo(WorldChecksum.Format(reference)), "checksum against the in-process run");
            Assert.That(leftFiles, Is.Empty, "segment files or pipes left in the run directory");
        });
    }

    /// <summary>
    /// Kills a random worker after a random pause, over and over, from a seeded <see cref="Random"/>. Candidates are
    /// the pool's connected workers plus any simhost-worker whose pipe lies in the run directory, which includes
    /// workers still starting (the pool only lists a worker once it is connected).
    /// </summary>
    private sealed class WorkerKiller(WorkerPool pool, string pipeDirectory, int seed, int maxKills)
    {
        private readonly Random _random = new(seed);
        private readonly Lock _lock = new();
        private int _kills;
        private int _killsBetweenFrames;

        public int Kills => Volatile.Read(ref _kills);

        public int KillsBetweenFrames => Volatile.Read(ref _killsBetweenFrames);

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested && Kills < maxKills)
            {
                int pause;
                lock (_lock)
                {
                    // Mostly short pauses, so that some kills hit a worker that is still starting.
                    pause = _random.Next(4) == 0 ? _random.Next(0, 5) : _random.Next(20, 120);
                }

                try
                {
                    await Task.Delay(pause, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await KillOneAsync("at random");
            }
        }

        public Task KillOneAsync(string when)
        {
            var pids = new List<int>(pool.WorkerProcessIds);
            foreach (var pid in ProcessCensus.FindWorkers(pipeDirectory))
            {
                if (!pids.Contains(pid))
                {
                    pids.Add(pid);
                }
            }

            if (pids.Count == 0 || Kills >= maxKills)
            {
                return Task.CompletedTask;
            }

            int victim;
            lock (_lock)
            {
                victim = pids[_random.Next(pids.Count)];
            }

            try
            {
                using var process = Process.GetProcessById(victim);
                process.Kill();
                Interlocked.Increment(ref _kills);
                if (when == "between frames")
                {
                    Interlocked.Increment(ref _killsBetweenFrames);
                }
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                TestContext.Progress.WriteLine($"kill {when} of {victim} failed: {exception.Message}");
                // It died or was replaced meanwhile.
            }

            return Task.CompletedTask;
        }
    }
}
