using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>A worker's mailbox, how the host waits for its replies, and how the worker is told to wait for requests.</summary>
internal sealed record MailboxChannel(Mailbox Mailbox, IdleStrategy ReplyIdle, IdleStrategy WorkerIdle);
