using SimHost.Host.Ecs;
using SimHost.Host.Persistence;

namespace SimHost.Host.Simulation;

/// <summary>The simulation's own state for a checkpoint: frames run and every system's change cursor.</summary>
public sealed partial class SimulationRunner
{
    private static readonly Dictionary<string, string> s_noRun = [];

    /// <summary>
    /// Saves the world and this simulation's own state (the frames run, and every system's change cursor, which decides
    /// what its <c>Changed</c> filter sees next) as the checkpoint directory <paramref name="directory"/>, replaced
    /// crash-safely if it exists. <see cref="SimulationBuilder.BuildFromCheckpoint(World, string)"/> continues from it:
    /// the frames after it give the world the uninterrupted run would have. Call it between frames.
    /// </summary>
    /// <param name="directory">The checkpoint directory to create.</param>
    /// <exception cref="CheckpointException">The directory cannot be written (<see cref="CheckpointError.Unwritable"/>).</exception>
    public void SaveCheckpoint(string directory)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        CheckpointFiles.WriteDirectory(SimulationContent(), directory);
    }

    /// <summary>Like <see cref="SaveCheckpoint(string)"/>, as one checkpoint stream.</summary>
    /// <param name="destination">A writable stream; left open.</param>
    public void SaveCheckpoint(Stream destination)
    {
        ObjectDisposedException.ThrowIf(_isDisposed, this);
        ArgumentNullException.ThrowIfNull(destination);
        CheckpointFiles.WriteStream(SimulationContent(), destination);
    }

    // The world and this simulation's state, with no run identity (that is simhost run's).
    private CheckpointContent SimulationContent() => new(World.CaptureImage(), CaptureImage(_nextTimeSeconds), s_noRun);

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

        var names = new string[_systemsInScheduleOrder.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = _systemsInScheduleOrder[i].Name;
        }

        var byName = CursorsOf(image, names);
        foreach (var system in _systemsInScheduleOrder)
        {
            var cursor = byName[system.Name];
            system.Cursor.Restore(cursor.SinceTick, cursor.LastRunTick, cursor.SeenThrough);
        }

        FrameCount = image.FrameCount;
        if (FrameCount > 0)
        {
            // The Startup stage ran in the first frame, before the checkpoint: running it again would change the answer.
            _runner.MarkFirstFrameStarted();
        }

        // A checkpoint saved before the next frame records the same simulated time as the one it was resumed from.
        _nextTimeSeconds = image.TimeSeconds;
    }

    /// <summary>The cursors of <paramref name="image"/> by system, when it holds exactly the systems named <paramref name="systems"/>.</summary>
    /// <exception cref="CheckpointException">It holds other systems (<see cref="CheckpointError.OtherSimulation"/>).</exception>
    internal static Dictionary<string, SystemCursorImage> CursorsOf(SimulationImage image, IReadOnlyList<string> systems)
    {
        var byName = new Dictionary<string, SystemCursorImage>(StringComparer.Ordinal);
        foreach (var cursor in image.Cursors)
        {
            byName[cursor.System] = cursor;
        }

        if (byName.Count != systems.Count)
        {
            throw new CheckpointException(CheckpointError.OtherSimulation, CheckpointFileNames.Manifest, $"the checkpoint has {byName.Count} systems, this simulation {systems.Count}");
        }

        foreach (var system in systems)
        {
            if (!byName.ContainsKey(system))
            {
                throw new CheckpointException(CheckpointError.OtherSimulation, CheckpointFileNames.Manifest, $"the checkpoint has no system '{system}'");
            }
        }

        return byName;
    }
}
