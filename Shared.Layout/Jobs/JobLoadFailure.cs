namespace SimHost.Layout.Jobs;

/// <summary>One job assembly, or one job in it, that could not be loaded, and why.</summary>
/// <param name="Error">What kind of failure it is.</param>
/// <param name="AssemblyPath">The full path of the job assembly (its simple name for a built-in assembly).</param>
/// <param name="JobName">The job's name when the failure concerns one named job (a duplicate, a bad component); else empty.</param>
/// <param name="Detail">One line: the loader's message, e.g. the file or dependency it could not find.</param>
internal sealed record JobLoadFailure(JobLoadError Error, string AssemblyPath, string JobName, string Detail);
