using SimHost.Host.Running;

namespace SimHost.Tests.Host.Running;

/// <summary>Worker status a test sets by hand: what the progress line, the summary and the failure policy read.</summary>
internal sealed class FakeWorkerStatus : IWorkerStatus
{
    public int WorkerSlots { get; set; }

    public int WorkersAlive { get; set; }

    public int SlotsDown { get; set; }

    public long Restarts { get; set; }

    public long WorkersLost { get; set; }

    public bool HasUnnoticedExit { get; set; }

    public string? DownReasons { get; set; }

    public string? LastFailure { get; set; }
}
