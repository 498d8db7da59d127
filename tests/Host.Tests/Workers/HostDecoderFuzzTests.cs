using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Diagnostics;
using SimHost.Host.Workers;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.Host.Workers;

/// <summary>
/// The host's decoder at the process boundary: a worker with the right token sends random and mutated frames over
/// many connections; the host's connection only ever breaks with a reason (or drops late replies), never throws
/// anything else, and the next connection is served as usual.
/// </summary>
[TestFixture]
public sealed class HostDecoderFuzzTests
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan s_perConnectionGuard = TimeSpan.FromSeconds(15);

    [Test]
    public async Task RandomAndMutatedFrames_OnlyBreakTheConnection_AndTheHostGoesOn()
    {
        var random = new Random(20240611);
        var logger = new CollectingLogger();
        var seeds = SeedFrames();
        var stopwatch = Stopwatch.StartNew();
        int connections = 0, frames = 0, broken = 0;
        var unexpected = new List<string>();
        while ((stopwatch.Elapsed < s_budget || connections < 20) && connections < 5000)
        {
            using var cancel = new CancellationTokenSource(s_perConnectionGuard);
            await using var worker = await FakeWorker.ConnectAsync(logger, cancel.Token);
            connections++;
            var request = worker.Connection.RequestAsync(PingMessage.Instance, 1, s_perConnectionGuard, cancel.Token);
            var blob = new List<byte>();
            var count = random.Next(1, 40);
            for (var i = 0; i < count; i++)
            {
                blob.AddRange(NextFrame(random, seeds));
            }

            frames += count;
            try
            {
                await worker.WriteRawAsync([.. blob], cancel.Token);
            }
            catch (IOException)
            {
                // The host broke the connection and closed its end while we were still writing.
            }

            await worker.Pipe.DisposeAsync();
            try
            {
                await request;
            }
            catch (WorkerBrokenException)
            {
                broken++;
            }
            catch (Exception exception)
            {
                unexpected.Add($"{exception.GetType().Name}: {exception.Message}");
            }

            await worker.Connection.Closed.WaitAsync(s_perConnectionGuard);
            if (worker.Connection.BrokenReason is null)
            {
                unexpected.Add("closed without a reason");
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(unexpected, Is.Empty, $"{connections} connections, {frames} frames");
            Assert.That(frames, Is.GreaterThan(connections), "several frames per connection");
            Assert.That(broken, Is.GreaterThan(0));
        });
        TestContext.Progress.WriteLine($"host decoder fuzz: {frames} frames over {connections} connections in {stopwatch.Elapsed.TotalSeconds:0.0} s");
    }

    private static byte[][] SeedFrames() =>
    [
        FakeWorker.Encode(PongMessage.Instance, 2),
        FakeWorker.Encode(new JobDoneMessage(64, 128, 5, TimeSpan.FromMilliseconds(3)), 3),
        FakeWorker.Encode(new JobFailedMessage("boom ☃"), 4),
        FakeWorker.Encode(new HelloMessage(1, 42, 1, AuthToken.CreateRandom(), ImmutableArray.Create(1UL, 2UL)), 0),
        FakeWorker.Encode(new WelcomeMessage(1, 7, TimeSpan.FromSeconds(1), WorkerLogLevel.Information), 0),
        FakeWorker.Encode(new JobCatalogMessage(["physics.step"], [new(JobLoadError.DependencyMissing, "/jobs/a.dll", "", "no dep")]), 0),
        FakeWorker.Encode(new JobStartMessage(new JobRange { FrameId = 1, JobName = "physics.step", SegmentPath = "/dev/shm/x.seg", SegmentGeneration = 1, RowCount = 64, DeltaTime = 0.01, Parameters = new byte[] { 1, 2 }, WritableColumns = 3 }), 5),
        FakeWorker.Encode(PingMessage.Instance, 6),
        FakeWorker.Encode(ShutdownMessage.Instance, 7),
    ];

    private static byte[] NextFrame(Random random, byte[][] seeds)
    {
        var frame = (byte[])seeds[random.Next(seeds.Length)].Clone();
        switch (random.Next(8))
        {
            case 0:
                // Unchanged: a valid frame (mostly a reply the host never asked for, so dropped).
                return frame;
            case 1:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
                }

                return frame;
            case 2:
                BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)random.Next(0, 70_000));
                return frame;
            case 3:
                return frame[..random.Next(frame.Length)];
            case 4:
                return [.. frame, .. RandomBytes(random, random.Next(1, 16))];
            case 5:
                frame[random.Next(4, frame.Length)] = (byte)random.Next(256);
                return frame;
            case 6:
                BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(6), (ushort)random.Next(0, 12));
                return frame;
            default:
                return RandomBytes(random, random.Next(1, 64));
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
