using System.Collections.Concurrent;
using SimHost.Layout.Protocol;

namespace SimHost.Worker;

/// <summary>
/// The hostile worker's seam, used only by tests/TestJobs/ForgedReplyJob through reflection: a job may queue frames
/// the worker sends before its real reply, to prove the host drops a reply whose sequence number it did not give and
/// kills a worker that answers with a range it did not give.
/// </summary>
/// <remarks>
/// Compiled only into tests/HostileWorker (HOSTILE_WORKER), never into the shipped simhost-worker; the type keeps the
/// worker's namespace so the job finds it as SimHost.Worker.ReplyForgery in the entry assembly.
/// </remarks>
internal static class ReplyForgery
{
    private static readonly ConcurrentQueue<(ProtocolMessage Message, ulong Sequence)> s_forged = new();
    private static ulong s_currentSequence;

    /// <summary>The sequence number of the JobStart the worker is running now.</summary>
    public static ulong CurrentSequence => Volatile.Read(ref s_currentSequence);

    /// <summary>Queues <paramref name="message"/> with <paramref name="sequence"/>, sent before the current job's reply.</summary>
    public static void Forge(ProtocolMessage message, ulong sequence) => s_forged.Enqueue((message, sequence));

    /// <summary>Called by the session before a job runs.</summary>
    internal static void Begin(ulong sequence) => Volatile.Write(ref s_currentSequence, sequence);

    /// <summary>Takes the next forged frame, if a job queued one.</summary>
    internal static bool TryTake(out (ProtocolMessage Message, ulong Sequence) forged) => s_forged.TryDequeue(out forged);
}
