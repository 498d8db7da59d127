namespace SimHost.Layout.Jobs;

/// <summary>
/// A unit of work that runs over a range of snapshot rows, the same code in-process and in a worker process.
/// Implementations are public, non-abstract classes with a public parameterless constructor; one instance may
/// run many ranges, one at a time (a host running ranges in-process on several threads gives each range running at
/// once an instance of its own), so keep per-range state in locals and share nothing through statics.
/// </summary>
public interface IJob
{
    /// <summary>The name systems offload to, unique across all loaded job assemblies (e.g. <c>physics.step</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The component structs this job reads or writes. Their layout hashes are announced in the worker's Hello so a
    /// host and a worker that disagree about a component find out at handshake.
    /// </summary>
    IReadOnlyList<Type> ComponentTypes { get; }

    /// <summary>
    /// Whether the job writes every row of every <see cref="JobContext.Write{T}"/> span it asks for (reading inputs
    /// through <see cref="JobContext.Read{T}"/>). Shared storage then skips filling the scratch columns with the live
    /// values before the job runs. False by default: the safe answer for jobs that change rows in place.
    /// </summary>
    bool WritesEveryRow => false;

    /// <summary>Runs the job over <see cref="JobContext.RowCount"/> rows, writing in place and marking what changed.</summary>
    /// <param name="context">The range, its columns, dt, time and parameters.</param>
    void Execute(JobContext context);
}
