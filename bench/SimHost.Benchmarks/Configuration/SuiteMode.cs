namespace SimHost.Benchmarks.Configuration;

/// <summary>How much of the suite a run measures, and how long it spends on each figure.</summary>
public enum SuiteMode
{
    /// <summary>BenchmarkDotNet's default job (separate processes, full length) over every parameter.</summary>
    Full,

    /// <summary>The in-process short job over every parameter of the chosen classes.</summary>
    ShortJob,

    /// <summary>The performance targets only (their sizes and worker counts), with a minimal in-process job: under a minute.</summary>
    Quick,
}
