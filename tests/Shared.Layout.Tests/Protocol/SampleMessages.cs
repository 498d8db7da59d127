using System.Buffers.Binary;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;

namespace SimHost.Tests.SharedLayout.Protocol;

/// <summary>One valid message of every type, and a builder for hand-made raw frames.</summary>
internal static class SampleMessages
{
    public static readonly AuthToken Token = new(Enumerable.Range(1, AuthToken.SizeBytes).Select(i => (byte)i).ToArray());

    public static HelloMessage Hello() =>
        new(workerId: 3, processId: 4242, ProtocolConstants.Version, Token, [0xDEADBEEFUL, 1UL, ulong.MaxValue]);

    public static WelcomeMessage Welcome() =>
        new(workerId: 3, runId: 0x0123_4567_89AB_CDEFUL, TimeSpan.FromMilliseconds(2500), WorkerLogLevel.Warning);

    public static JobStartMessage JobStart() =>
        new(new JobRange
        {
            FrameId = 600,
            JobName = "physics.integrate",
            SegmentPath = "/dev/shm/simhost-1234-physics-0",
            SegmentGeneration = 2,
            RowStart = 64,
            RowCount = 4096,
            DeltaTime = 1.0 / 60,
            Time = 10.5,
            Parameters = new byte[] { 1, 2, 3, 4, 5 },
            WritableColumns = 3,
            Ticks = 4,
            LiveColumns = 0b1100,
        });

    public static JobDoneMessage JobDone() => new(rowStart: 64, rowCount: 4096, rowsChanged: 4000, TimeSpan.FromTicks(123_456));

    public static JobFailedMessage JobFailed() => new("System.InvalidOperationException: gravity is négative ✗");

    public static JobCatalogMessage JobCatalog() =>
        new(
            ["physics.step", "deps.mathnet-drift", "gravité ✓"],
            [
                new(JobLoadError.DependencyMissing, "/jobs/bin/Jobs.dll", "", "its dependency 'MathNet.Numerics, Version=5.0.0.0' cannot be loaded"),
                new(JobLoadError.DuplicateName, "/jobs/bin/Other.dll", "physics.step", "Other.Step has the name of SimHost.Physics.Jobs.PhysicsStepJob"),
            ]);

    /// <summary>Every message type once, for round-trip and fuzz seeds.</summary>
    public static IEnumerable<ProtocolMessage> All()
    {
        yield return Hello();
        yield return Welcome();
        yield return JobStart();
        yield return JobDone();
        yield return JobFailed();
        yield return PingMessage.Instance;
        yield return PongMessage.Instance;
        yield return ShutdownMessage.Instance;
        yield return JobCatalog();
    }

    public static byte[] Encode(ProtocolMessage message, ulong sequence = 7)
    {
        var frame = new byte[FrameEncoder.GetFrameSize(message)];
        FrameEncoder.Encode(message, sequence, frame);
        return frame;
    }

    /// <summary>Builds a frame byte by byte, with a correct length field unless <paramref name="length"/> overrides it.</summary>
    public static byte[] RawFrame(MessageType type, byte[] body, ushort version = ProtocolConstants.Version, uint? length = null)
    {
        var frame = new byte[ProtocolConstants.HeaderSizeBytes + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, length ?? (uint)(frame.Length - ProtocolConstants.LengthFieldBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(4), version);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(6), (ushort)type);
        BinaryPrimitives.WriteUInt64LittleEndian(frame.AsSpan(8), 1);
        body.CopyTo(frame, ProtocolConstants.HeaderSizeBytes);
        return frame;
    }

    /// <summary>The body of an encoded frame, for tests that edit one field.</summary>
    public static byte[] Body(ProtocolMessage message) => Encode(message)[ProtocolConstants.HeaderSizeBytes..];
}
