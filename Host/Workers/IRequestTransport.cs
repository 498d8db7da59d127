using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// How a request travels to a worker and its reply comes back: the pipe (<see cref="PipeTransport"/>) for every
/// message, or the shared-memory mailbox (<see cref="MailboxTransport"/>) for JobStart (docs/signals.md).
/// </summary>
internal interface IRequestTransport
{
    /// <summary>
    /// Sends <paramref name="message"/> for <paramref name="request"/>; the reply completes <see cref="OutstandingRequest.Reply"/>
    /// through the connection. <paramref name="replySpin"/> is how long the caller's thread may spin for it.
    /// </summary>
    /// <exception cref="IOException">The transport failed; the connection breaks.</exception>
    ValueTask SendAsync(ProtocolMessage message, OutstandingRequest request, TimeSpan replySpin, CancellationToken cancellationToken);

    /// <summary>Ends any wait this transport keeps for <paramref name="reply"/> (answered elsewhere, timed out, broken).</summary>
    void Disarm(Task reply);
}
