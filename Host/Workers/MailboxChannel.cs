using SimHost.Layout.Signals;

namespace SimHost.Host.Workers;

/// <summary>
/// A worker's mailbox, the spin the host's inline wait uses before handing over to the waiter thread, and the idle
/// spin the worker is started with.
/// </summary>
internal sealed record MailboxChannel(Mailbox Mailbox, int SpinCount, TimeSpan WorkerIdleSpinLimit);
