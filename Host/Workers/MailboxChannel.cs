using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>A worker's mailbox and the spin the host's inline wait uses before handing over to the waiter thread.</summary>
internal sealed record MailboxChannel(Mailbox Mailbox, int SpinCount, TimeSpan ReplySpinLimit, TimeSpan WorkerIdleSpinLimit);
