using System.Reflection;
using System.Text;
using SimHost.Layout.Jobs;
using SimHost.Layout.Protocol;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>
/// Sets Position.Y to <see cref="TestJobNames.MarkValue"/> like test.mark-all, then makes its worker send a forged
/// JobDone before the real reply, through the ReplyForgery seam of tests/HostileWorker (found by reflection), a
/// simhost-worker built for these tests; the shipped worker has no such seam, so there the job only marks.
/// </summary>
/// <remarks>
/// Parameters: byte 0 is <see cref="ForgedReplyJobNames.UnknownSequence"/> or <see cref="ForgedReplyJobNames.ForeignRange"/>;
/// the rest, if any, is the UTF-8 path of a marker file: only the run that creates it forges, so a re-run of the
/// range on a replacement worker behaves (crash-once). In-process (no worker), the job only marks.
/// </remarks>
public sealed class ForgedReplyJob : IJob
{
    private const ulong UnknownSequenceOffset = 1_000_000;

    /// <inheritdoc/>
    public string Name => ForgedReplyJobNames.ForgedReply;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var positions = context.Write<Position>();
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i].Y = TestJobNames.MarkValue;
        }

        context.MarkChanged<Position>(0, context.RowCount);
        var parameters = context.Parameters;
        // Only inside the hostile worker: in the shipped worker or in-process (the host or a test runner) the job just marks.
        var seam = Assembly.GetEntryAssembly()?.GetType("SimHost.Worker.ReplyForgery");
        if (parameters.IsEmpty || seam is null || !ClaimMarker(parameters[1..]))
        {
            return;
        }

        var sequence = (ulong)seam.GetProperty("CurrentSequence", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var start = (uint)context.RowStart;
        var count = (uint)context.RowCount;
        (ProtocolMessage Message, ulong Sequence) forged = parameters[0] == ForgedReplyJobNames.ForeignRange
            ? (new JobDoneMessage(start + count, count, 0, TimeSpan.Zero), sequence)
            : (new JobDoneMessage(start, count, count, TimeSpan.Zero), sequence + UnknownSequenceOffset);
        seam.GetMethod("Forge", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [forged.Message, forged.Sequence]);
    }

    private static bool ClaimMarker(ReadOnlySpan<byte> pathBytes)
    {
        if (pathBytes.IsEmpty)
        {
            return true;
        }

        try
        {
            // CreateNew is atomic: of several workers running ranges at once, exactly one forges.
            using var marker = new FileStream(Encoding.UTF8.GetString(pathBytes), FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
