using SimHost.Layout.Jobs;

namespace SimHost.Host.Offload;

/// <summary>
/// Runs ranges on the calling thread over the host's own mapping of the segment: <c>--workers 0</c>, and every
/// offloaded system's last-resort fallback. A job that throws yields a failed outcome, never an exception.
/// </summary>
internal sealed class InProcessRangeExecutor : IRangeExecutor
{
    private readonly JobCatalog _catalog;

    /// <summary>Runs jobs found in <paramref name="catalog"/>.</summary>
    public InProcessRangeExecutor(JobCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    /// <summary>One: ranges run one after another on the caller's thread.</summary>
    public int ParallelSlots => 1;

    /// <inheritdoc/>
    public ValueTask<RangeOutcome> RunAsync(RangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_catalog.TryGet(request.JobName, out var job))
        {
            return ValueTask.FromResult(RangeOutcome.Failed($"No job named '{request.JobName}' is loaded in the host.", workerId: null));
        }

        try
        {
            var result = JobRunner.Run(job, request.Segment, request.Range);
            return ValueTask.FromResult(RangeOutcome.Success(result.RowsChanged, result.Elapsed, workerId: null));
        }
#pragma warning disable CA1031 // A job is user code: whatever it throws is that range's failure, not the host's.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return ValueTask.FromResult(RangeOutcome.Failed($"Job '{request.JobName}' threw {exception.GetType().Name}: {FirstLine(exception.Message)}", workerId: null));
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }
}
