namespace SimHost.Layout.Jobs;

/// <summary>What one job run is given besides its segment: the rows, which columns it may write, time and parameters.</summary>
/// <param name="RowStart">First row, a multiple of 64 so that no two ranges share a changed-bitset word.</param>
/// <param name="RowCount">Rows in the range.</param>
/// <param name="WritableColumns">Bit i set: segment column i may be written (and will be committed).</param>
/// <param name="FrameId">The simulation frame.</param>
/// <param name="DeltaTime">Seconds the frame advances.</param>
/// <param name="Time">Simulation time at the start of the frame, in seconds.</param>
/// <param name="Parameters">The system's parameter blob.</param>
/// <param name="Ticks">
/// How many ticks of <paramref name="DeltaTime"/> the job runs back to back over the range, at least 1; tick i starts
/// at <paramref name="Time"/> + i × <paramref name="DeltaTime"/>.
/// </param>
/// <param name="LiveColumns">
/// Bit i set: segment column i holds the current values of a component the job accesses (shared storage, where each
/// component has a live and a scratch column); 0 when each component has one column.
/// </param>
internal readonly record struct JobRange(
    int RowStart,
    int RowCount,
    ulong WritableColumns,
    ulong FrameId,
    double DeltaTime,
    double Time,
    ReadOnlyMemory<byte> Parameters,
    int Ticks = 1,
    ulong LiveColumns = 0)
{
    /// <summary>Rows per changed-bitset word; every range starts on a multiple of it.</summary>
    public const int RowAlignment = 64;
}
