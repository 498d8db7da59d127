namespace SimHost.Worker;

/// <summary>The exit codes of simhost-worker; the host logs them when a worker ends.</summary>
public static class WorkerExitCodes
{
    /// <summary>The host sent Shutdown.</summary>
    public const int Success = 0;

    /// <summary>The host went away (pipe closed or parent process gone) or could not be reached.</summary>
    public const int HostGone = 1;

    /// <summary>The command line or the token on standard input was malformed.</summary>
    public const int BadArguments = 2;

    /// <summary>
    /// A job assembly could not be loaded. Not used since protocol version 4: the worker reports load failures to the
    /// host in its JobCatalog message and keeps running; the value stays reserved.
    /// </summary>
    public const int CatalogFailed = 3;

    /// <summary>The host broke the protocol (a malformed frame, a wrong handshake or an unexpected message).</summary>
    public const int ProtocolBroken = 4;

    /// <summary>The mailbox named by --mailbox could not be opened or is not this worker's (docs/signals.md).</summary>
    public const int MailboxUnusable = 5;
}
