using Microsoft.Extensions.Logging;

namespace SimHost.Host.Offload;

/// <summary>
/// Where and why the pieces of a staged pass (<see cref="StagedInProcessPass"/>) failed: the frame's last failure, and
/// the log lines the snapshot path writes for a failed range, written in the frame's execution context. Pieces run on
/// the world's threads (and the pass itself on the thread pool), which do not carry the caller's AsyncLocal state, so
/// without it a line would lose the log scopes the frame runs in. A frame without failures allocates nothing here.
/// </summary>
/// <remarks>
/// A frame logs its first failed attempt and its first abandoned piece as the snapshot path logs a range, then counts
/// the rest and sums them up in one line at its end. Pieces are about 128 KiB of rows, so a job that always fails on
/// 1M particles fails 245 pieces four times each: logged one by one, that was 980 lines a frame where the worker path
/// writes a handful, and the count grew with the world.
/// </remarks>
internal sealed class StagedPieceFailures(ILogger logger, string systemName)
{
    private static readonly ContextCallback s_write = state => ((ILine)state!).Write();

    private readonly ILogger _logger = logger;
    private readonly string _systemName = systemName;
    private ExecutionContext? _context;
    private string _jobName = string.Empty;
    private int _failures;
    private int _abandoned;
    private bool _isRetried;

    /// <summary>Where and why the latest failed piece of the frame failed, or null when none failed.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Starts a frame of <paramref name="jobName"/>, on the thread whose execution context the lines are written in.</summary>
    /// <param name="jobName">The job.</param>
    /// <param name="attempts">Runs each piece may have: 1 when the failure policy allows no retry and no fallback.</param>
    public void Begin(string jobName, int attempts)
    {
        _isRetried = attempts > 1;
        // Capture returns the current context instance (no copy), or null when its flow is suppressed.
        _context = ExecutionContext.Capture();
        _jobName = jobName;
        LastFailure = null;
        _failures = _abandoned = 0;
    }

    /// <summary>A run of the piece of rows [<paramref name="start"/>, +<paramref name="count"/>) failed for <paramref name="reason"/>.</summary>
    public void Failed(int start, int count, string? reason)
    {
        LastFailure = $"the host: {reason}";
        if (Interlocked.Increment(ref _failures) == 1)
        {
            Write(new Line(this, start, count, reason, IsAbandoned: false));
        }
    }

    /// <summary>The piece of rows [<paramref name="start"/>, +<paramref name="count"/>) failed every attempt: nothing of it was committed.</summary>
    public void Abandoned(int start, int count)
    {
        if (Interlocked.Increment(ref _abandoned) == 1)
        {
            Write(new Line(this, start, count, Reason: null, IsAbandoned: true));
        }
    }

    /// <summary>Ends the frame's pass over <paramref name="pieces"/> pieces: sums up the failures not logged one by one.</summary>
    public void End(int pieces)
    {
        if (_failures > 1 || _abandoned > 1)
        {
            Write(new Summary(this, pieces, _failures, _abandoned, LastFailure));
        }
    }

    private void Write(ILine line)
    {
        if (_context is null)
        {
            line.Write();
        }
        else
        {
            ExecutionContext.Run(_context, s_write, line);
        }
    }

    private interface ILine
    {
        void Write();
    }

    private sealed record Summary(StagedPieceFailures Owner, int Pieces, int Failures, int Abandoned, string? LastFailure) : ILine
    {
        public void Write()
        {
            if (Owner._isRetried)
            {
                OffloadLog.PiecesFailed(Owner._logger, Owner._jobName, Owner._systemName, Failures, Pieces, Abandoned, LastFailure);
            }
            else
            {
                OffloadLog.PiecesFailedWithoutRetry(Owner._logger, Owner._jobName, Owner._systemName, Failures, Pieces, Abandoned, LastFailure);
            }
        }
    }

    private sealed record Line(StagedPieceFailures Owner, int Start, int Count, string? Reason, bool IsAbandoned) : ILine
    {
        public void Write()
        {
            var rows = $"system {Owner._systemName} rows {Start}+{Count}";
            if (IsAbandoned)
            {
                OffloadLog.RangeAbandoned(Owner._logger, Owner._jobName, rows, Owner._isRetried);
            }
            else
            {
                OffloadLog.RangeFailed(Owner._logger, Owner._jobName, rows, "the host", Reason);
            }
        }
    }
}
