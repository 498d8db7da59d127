using SimHost.Host.SharedStorage;
using SimHost.Physics.Jobs;

namespace SimHost.Benchmarks.Configuration;

/// <summary>
/// Parameter values that depend on the suite mode: the quick run keeps only the values the performance targets are
/// stated at, the short and full runs measure every one. Read by the classes' <c>ParamsSource</c> members while the
/// benchmarks are being discovered, in the process that runs BenchmarkDotNet.
/// </summary>
public static class SuiteParameters
{
    /// <summary>The mode of this run; set once by the entry point before BenchmarkDotNet discovers the benchmarks.</summary>
    public static SuiteMode Mode { get; set; } = SuiteMode.Full;

    private static bool IsQuick => Mode == SuiteMode.Quick;

    /// <summary>Entities of a whole-frame benchmark: the targets are stated at 1M.</summary>
    public static IEnumerable<int> FrameEntityCounts => IsQuick ? [1_000_000] : [100_000, 1_000_000, 4_000_000];

    /// <summary>Worker counts of a whole-frame benchmark (0 runs the job in-process).</summary>
    public static IEnumerable<int> FrameWorkerCounts => IsQuick ? [1, 2] : [0, 1, 2];

    /// <summary>Storage modes of a whole-frame benchmark.</summary>
    public static IEnumerable<StorageMode> FrameStorageModes => [StorageMode.Snapshot, StorageMode.Shared];

    /// <summary>
    /// The offloaded job of a whole-frame benchmark: <c>physics.integrate</c> is the baseline loop's own arithmetic,
    /// so its ratio is what SimHost adds; <c>physics.step</c> is the full particle scenario.
    /// </summary>
    public static IEnumerable<string> FrameJobs => IsQuick ? [IntegrateJob.JobName] : [IntegrateJob.JobName, PhysicsStepJob.JobName];

    /// <summary>Mailbox spin counts of the round-trip sweep; -1 is the pipe path.</summary>
    public static IEnumerable<int> MailboxSpins => IsQuick ? [-1, 1_000] : [-1, 0, 10, 100, 1_000];
}
