namespace SimHost.Layout.Jobs;

/// <summary>
/// Why a job or a job assembly could not be loaded. Sent by value in the worker's JobCatalog message, so the values
/// are part of the wire format: never renumbered, only appended.
/// </summary>
internal enum JobLoadError : byte
{
    /// <summary>The job assembly's file does not exist.</summary>
    AssemblyMissing = 1,

    /// <summary>The file exists but is not a loadable .NET assembly (or cannot be read).</summary>
    AssemblyInvalid = 2,

    /// <summary>An assembly the job assembly references cannot be loaded (not next to it nor in its .deps.json).</summary>
    DependencyMissing = 3,

    /// <summary>The assembly's types cannot be loaded.</summary>
    TypeLoadFailed = 4,

    /// <summary>A job's constructor threw, or the job has an empty name.</summary>
    JobCreationFailed = 5,

    /// <summary>Another job already has this job's name.</summary>
    DuplicateName = 6,

    /// <summary>A component the job declares cannot be shared with a worker.</summary>
    ComponentInvalid = 7,
}
