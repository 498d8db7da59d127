using System.Buffers.Binary;
using System.Diagnostics;
using SimHost.Layout.Components;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;
using SimHost.Layout.Segments;
using SimHost.Physics;
using SimHost.Physics.Components;
using SimHost.Physics.Jobs;
using SimHost.Worker;

namespace SimHost.Tests.WorkerProcess;

/// <summary>
/// The worker's job loop fed random and mutated host frames (in-process, over memory streams, so thousands run in
/// a couple of seconds): it answers, exits with a code, or stops with a <see cref="ProtocolException"/>; nothing
/// else escapes, and it never hangs.
/// </summary>
[TestFixture]
public sealed class WorkerDecoderFuzzTests
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(2.5);
    private string _segmentPath = null!;

    [SetUp]
    public void SetUp() => _segmentPath = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"simhost-fuzz-{Guid.NewGuid():N}.seg");

    [TearDown]
    public void TearDown() => File.Delete(_segmentPath);

    [Test]
    public async Task RandomAndMutatedFrames_EndTheLoopOnlyWithAnExitCodeOrAProtocolError()
    {
        var catalog = JobCatalog.FromAssemblies([typeof(PhysicsStepJob).Assembly]);
        unsafe
        {
            SegmentColumnSpec[] columns =
            [
                new(1, ComponentLayout.Of<Position>().Hash, sizeof(Position)),
                new(2, ComponentLayout.Of<Velocity>().Hash, sizeof(Velocity)),
            ];
            using var segment = SharedSegment.Create(_segmentPath, SegmentLayoutPlanner.Plan(columns, 256));
            segment.RowCount = 256;
        }

        using var segments = new SegmentCache(catalog.ComponentLayouts);
        var executor = new JobExecutor(catalog, segments, Serilog.Core.Logger.None);
        var seeds = SeedFrames(_segmentPath);
        var random = new Random(7031);
        var stopwatch = Stopwatch.StartNew();
        int streams = 0, frames = 0, protocolErrors = 0;
        var exits = new HashSet<int>();
        var unexpected = new List<string>();
        while (stopwatch.Elapsed < s_budget || streams < 100)
        {
            var input = new List<byte>();
            var count = random.Next(1, 12);
            for (var i = 0; i < count; i++)
            {
                input.AddRange(NextFrame(random, seeds));
            }

            streams++;
            frames += count;
            using var output = new MemoryStream();
            using var writer = new FrameWriter(output);
            try
            {
                var serving = WorkerSession.ServeAsync(new FrameReader(new MemoryStream([.. input])), writer, executor, Serilog.Core.Logger.None);
                exits.Add(await serving.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            catch (ProtocolException)
            {
                protocolErrors++;
            }
            catch (Exception exception)
            {
                unexpected.Add($"{exception.GetType().Name}: {exception.Message}");
            }
        }

        TestContext.Progress.WriteLine($"worker decoder fuzz: {frames} frames in {streams} streams, {protocolErrors} protocol errors, exits {string.Join(",", exits)}");
        Assert.Multiple(() =>
        {
            Assert.That(unexpected, Is.Empty, $"{streams} streams, {frames} frames");
            Assert.That(exits, Is.SubsetOf(new[] { WorkerExitCodes.Success, WorkerExitCodes.HostGone, WorkerExitCodes.ProtocolBroken }));
            Assert.That(protocolErrors, Is.GreaterThan(0));
        });
    }

    private static byte[][] SeedFrames(string segmentPath) =>
    [
        Encode(new JobStartMessage(new JobRange { FrameId = 1, JobName = PhysicsStepJob.JobName, SegmentPath = segmentPath, SegmentGeneration = 1, RowCount = 128, DeltaTime = 0.01, Parameters = PhysicsParameters.Default.ToBytes(), WritableColumns = 3 }), 1),
        Encode(new JobStartMessage(new JobRange { FrameId = 2, JobName = PhysicsStepJob.JobName, SegmentPath = "/nonexistent/x.seg", SegmentGeneration = 1, RowCount = 64, DeltaTime = 0.01, WritableColumns = 3 }), 2),
        Encode(new JobStartMessage(new JobRange { FrameId = 3, JobName = "no.such.job", SegmentPath = segmentPath, SegmentGeneration = 2, RowCount = 64, DeltaTime = 0.01, WritableColumns = 1 }), 3),
        Encode(PingMessage.Instance, 4),
        Encode(PongMessage.Instance, 5),
        Encode(new WelcomeMessage(1, 7, TimeSpan.FromSeconds(1), WorkerLogLevel.Information), 0),
        Encode(new JobDoneMessage(0, 64, 1, TimeSpan.Zero), 6),
        Encode(ShutdownMessage.Instance, 7),
    ];

    private static byte[] Encode(ProtocolMessage message, ulong sequence)
    {
        var bytes = new byte[FrameEncoder.GetFrameSize(message)];
        FrameEncoder.Encode(message, sequence, bytes);
        return bytes;
    }

    private static byte[] NextFrame(Random random, byte[][] seeds)
    {
        var frame = (byte[])seeds[random.Next(seeds.Length)].Clone();
        switch (random.Next(7))
        {
            case 0:
            case 1:
                return frame;
            case 2:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
                }

                return frame;
            case 3:
                BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)random.Next(0, 70_000));
                return frame;
            case 4:
                return frame[..random.Next(frame.Length)];
            case 5 when frame.Length > ProtocolConstants.HeaderSizeBytes:
                frame[random.Next(ProtocolConstants.HeaderSizeBytes, frame.Length)] = (byte)random.Next(256);
                return frame;
            default:
                var bytes = new byte[random.Next(1, 64)];
                random.NextBytes(bytes);
                return bytes;
        }
    }
}
