using SimHost.Host.Persistence;

namespace SimHost.Host.Inspecting;

/// <summary>
/// Everything <c>simhost inspect</c> found under one path: the checkpoints (with their manifests), the segment files
/// and every broken rule. Nothing is loaded into a world; a damaged file is a problem in the list, never a crash.
/// </summary>
internal sealed class InspectionReport(string path, string kind)
{
    /// <summary>The inspected path.</summary>
    public string Path { get; } = path;

    /// <summary>What the path is: <c>checkpoint</c>, <c>checkpoint-directory</c>, <c>segment</c> or <c>run-directory</c>.</summary>
    public string Kind { get; } = kind;

    /// <summary>The checkpoints whose manifest could be read, by directory.</summary>
    public List<(string Directory, CheckpointManifest Manifest)> Checkpoints { get; } = [];

    /// <summary>The segment files whose header and column table are valid.</summary>
    public List<SegmentSummary> Segments { get; } = [];

    /// <summary>Every broken rule, in the order found.</summary>
    public List<InspectionProblem> Problems { get; } = [];

    /// <summary>
    /// Checkpoints of a folder a run writes to that its rotation removed while they were inspected (no problem: the
    /// run keeps only the newest ones), by name.
    /// </summary>
    public List<string> RemovedWhileInspected { get; } = [];

    /// <summary>Adds everything <paramref name="other"/> found (one checkpoint of a folder).</summary>
    public void Add(InspectionReport other)
    {
        Checkpoints.AddRange(other.Checkpoints);
        Segments.AddRange(other.Segments);
        Problems.AddRange(other.Problems);
    }
}
