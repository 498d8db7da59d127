namespace SimHost.Host.Offload;

/// <summary>
/// The generation of every segment the process creates, unique for the life of the process. A worker keeps its mapping
/// of a segment while the host sends the same path and generation; segment file names are the same in every simulation
/// over one run directory, so two simulations in turn on one worker pool (a simulation rebuilt or resumed in a server)
/// would otherwise send a replaced file under its old path and generation, and the worker would read the deleted one.
/// </summary>
internal static class SegmentGenerations
{
    private static int s_last;

    /// <summary>A generation no segment of this process has had.</summary>
    public static uint Next() => (uint)Interlocked.Increment(ref s_last);
}
