using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using SimHost.Layout.Protocol;

namespace SimHost.Host.Workers;

/// <summary>
/// The handshake's accept loop on one worker's pipe: drops peers that do not prove they are our worker, refuses our
/// worker when its Hello or JobCatalog does not match, and hands back a <see cref="WorkerConnection"/> otherwise.
/// </summary>
internal static class WorkerListener
{
    /// <summary>
    /// Listens on <paramref name="pipePath"/> until a peer sends an acceptable Hello and JobCatalog, then answers Welcome. A peer
    /// without the token is dropped and listening goes on; our own worker with a wrong id, pid, version or layouts
    /// ends the attempt. On success the connection owns <paramref name="mailbox"/>; otherwise the caller still does.
    /// </summary>
    /// <exception cref="WorkerStartException">Our worker was refused.</exception>
    /// <exception cref="OperationCanceledException">The token fired (timeout, worker exit or shutdown).</exception>
    public static async Task<WorkerConnection> AcceptAsync(
        string pipePath, WorkerHandshake handshake, WelcomeMessage welcome, MailboxChannel? mailbox, ILogger logger, CancellationToken cancellationToken)
    {
        var server = CreateServer(pipePath);
        try
        {
            while (true)
            {
                await server.WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
                var reader = new FrameReader(server);
                HandshakeRefusal? refusal;
                Frame? first = null;
                try
                {
                    first = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    refusal = first is { } frame ? handshake.Check(frame) : new HandshakeRefusal(true, "the peer closed the pipe before Hello");
                }
                catch (Exception exception) when (exception is ProtocolException or IOException)
                {
                    refusal = new HandshakeRefusal(true, $"unreadable first frame: {exception.Message}");
                }

                JobCatalogMessage? catalog = null;
                if (refusal is null)
                {
                    // The token matched: from here on the peer is our worker, and a bad frame refuses it.
                    (catalog, refusal) = await ReadCatalogAsync(reader, handshake, (HelloMessage)first!.Value.Message, cancellationToken).ConfigureAwait(false);
                }

                if (refusal is null)
                {
                    var writer = new FrameWriter(server);
                    await writer.WriteAsync(welcome, 0, cancellationToken).ConfigureAwait(false);
                    var connection = new WorkerConnection(server, reader, writer, (HelloMessage)first!.Value.Message, catalog!, mailbox, logger);
                    server = null;
                    return connection;
                }

                if (!refusal.Value.IsStranger)
                {
                    WorkerLog.HandshakeRefused(logger, handshake.WorkerId, refusal.Value.Reason);
                    throw new WorkerStartException($"Worker {handshake.WorkerId} refused at handshake: {refusal.Value.Reason}.");
                }

                WorkerLog.ConnectionRefused(logger, handshake.WorkerId, refusal.Value.Reason);

                // Open the next instance before closing this one so the socket file never disappears in between.
                var next = CreateServer(pipePath);
                await server.DisposeAsync().ConfigureAwait(false);
                server = next;
            }
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<(JobCatalogMessage? Catalog, HandshakeRefusal? Refusal)> ReadCatalogAsync(
        FrameReader reader, WorkerHandshake handshake, HelloMessage hello, CancellationToken cancellationToken)
    {
        try
        {
            var frame = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (frame is not { } second)
            {
                return (null, new HandshakeRefusal(false, "the worker closed the pipe before JobCatalog"));
            }

            return (second.Message as JobCatalogMessage, handshake.CheckCatalog(hello, second));
        }
        catch (Exception exception) when (exception is ProtocolException or IOException)
        {
            return (null, new HandshakeRefusal(false, $"unreadable JobCatalog: {exception.Message}"));
        }
    }

    private static NamedPipeServerStream CreateServer(string pipePath) => new(
        pipePath,
        PipeDirection.InOut,
        maxNumberOfServerInstances: 2,
        PipeTransmissionMode.Byte,
        PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
}
