using SimHost.Host.Scheduling;

namespace SimHost.Host.Offload;

/// <summary>
/// What a storage mode tells <see cref="RangeRetryLoop"/> about its ranges: the request that runs one, how to make
/// a failed one ready to run again, and how to name one in a log line.
/// </summary>
internal interface IRangeTarget
{
    /// <summary>The request that runs <paramref name="range"/> for the frame of <paramref name="timing"/>.</summary>
    RangeRequest RequestFor(in RangeSlice range, in FrameTiming timing);

    /// <summary>
    /// Makes a failed range ready to run again from the untouched world: snapshot storage re-copies its rows, shared
    /// storage resets its scratch.
    /// </summary>
    void PrepareRetry(in RangeSlice range);

    /// <summary>The range as a log line names it (system or archetype, rows).</summary>
    string Describe(in RangeSlice range);
}
