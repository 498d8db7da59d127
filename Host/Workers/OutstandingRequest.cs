using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>The one request a connection waits on: its sequence number, its type, and the reply to come.</summary>
internal sealed class OutstandingRequest(ulong sequence, MessageType requestType)
{
    public ulong Sequence { get; } = sequence;

    public MessageType RequestType { get; } = requestType;

    public TaskCompletionSource<Frame> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether a message of type <paramref name="reply"/> answers this request (JobDone/JobFailed a JobStart, Pong a Ping).</summary>
    public bool IsAnsweredBy(MessageType reply) => RequestType switch
    {
        MessageType.JobStart => reply is MessageType.JobDone or MessageType.JobFailed,
        MessageType.Ping => reply is MessageType.Pong,
        _ => false,
    };
}
