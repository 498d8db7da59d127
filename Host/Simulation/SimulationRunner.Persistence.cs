using SimHost.Host.Persistence;

namespace SimHost.Host.Simulation;

/// <summary>The simulation's own state for a checkpoint: frames run and every system's change cursor.</summary>
public sealed partial class SimulationRunner
{
    /// <summary>Copies the frame count and each system's cursor; <paramref name="timeSeconds"/> is the simulated time of the next frame.</summary>
    internal SimulationImage CaptureImage(double timeSeconds)
    {
        var cursors = new SystemCursorImage[_systemsInScheduleOrder.Length];
        for (var i = 0; i < cursors.Length; i++)
        {
            var system = _systemsInScheduleOrder[i];
            cursors[i] = new SystemCursorImage(system.Name, system.Cursor.SinceTick, system.Cursor.LastRunTick, system.Cursor.SeenThrough);
        }

        return new SimulationImage(FrameCount, timeSeconds, cursors);
    }

    /// <summary>
    /// Puts back the frame count and the cursors of a checkpoint taken of this simulation (the same systems by name).
    /// Call it before the first frame, after the world was loaded.
    /// </summary>
    /// <exception cref="CheckpointException">The checkpoint's systems are not this simulation's.</exception>
    internal void RestoreImage(SimulationImage image)
    {
        if (FrameCount != 0)
        {
            throw new InvalidOperationException("A simulation's state is restored before its first frame only.");
        }

        var byName = new Dictionary<string, SystemCursorImage>(StringComparer.Ordinal);
        foreach (var cursor in image.Cursors)
        {
            byName[cursor.System] = cursor;
        }

        if (byName.Count != _systemsInScheduleOrder.Length)
        {
            throw new CheckpointException(CheckpointError.BadManifest, CheckpointFileNames.Manifest, $"the checkpoint has {byName.Count} systems, this simulation {_systemsInScheduleOrder.Length}");
        }

        foreach (var system in _systemsInScheduleOrder)
        {
            if (!byName.TryGetValue(system.Name, out var cursor))
            {
                throw new CheckpointException(CheckpointError.BadManifest, CheckpointFileNames.Manifest, $"the checkpoint has no system '{system.Name}'");
            }

            system.Cursor.Restore(cursor.SinceTick, cursor.LastRunTick, cursor.SeenThrough);
        }

        FrameCount = image.FrameCount;
    }
}
