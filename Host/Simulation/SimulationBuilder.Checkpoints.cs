using SimHost.Host.Ecs;
using SimHost.Host.Persistence;

namespace SimHost.Host.Simulation;

/// <summary>Building a simulation that continues from a checkpoint instead of starting from a seeded world.</summary>
public sealed partial class SimulationBuilder
{
    /// <summary>
    /// Builds the simulation on the checkpoint directory <paramref name="directory"/>, written by
    /// <see cref="SimulationRunner.SaveCheckpoint(string)"/> or <c>simhost run --checkpoint-every</c>: the empty
    /// <paramref name="world"/> is loaded from it (every file verified), the simulation is built as <see cref="Build"/>
    /// builds it, and its frame count and every system's change cursor are put back. The frames that follow give the
    /// world the uninterrupted run would have, given the same systems, jobs and parameters.
    /// </summary>
    /// <param name="world">A new, empty world.</param>
    /// <param name="directory">The checkpoint directory.</param>
    /// <returns>The simulation, ready for the frame after the checkpoint; <see cref="SimulationRunner.FrameCount"/> says which.</returns>
    /// <exception cref="CheckpointException">
    /// The checkpoint is damaged, its components are unknown here or laid out differently, the world is not empty, or
    /// it holds a world alone (<see cref="WorldCheckpoint.Save(World, string)"/>) or other systems than these
    /// (<see cref="CheckpointError.OtherSimulation"/>).
    /// </exception>
    public SimulationRunner BuildFromCheckpoint(World world, string directory)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var state = CheckpointFiles.ReadManifest(directory).Simulation ?? throw WorldAlone(directory);
        ThrowIfOtherSystems(state);
        WorldCheckpoint.Load(directory, world);
        return BuildRestored(world, state);
    }

    /// <summary>Like <see cref="BuildFromCheckpoint(World, string)"/>, from a stream written by <see cref="SimulationRunner.SaveCheckpoint(Stream)"/>.</summary>
    /// <param name="world">A new, empty world.</param>
    /// <param name="source">The stream, positioned at the checkpoint; left open.</param>
    /// <returns>The simulation, ready for the frame after the checkpoint.</returns>
    /// <exception cref="CheckpointException">As for a directory.</exception>
    public SimulationRunner BuildFromCheckpoint(World world, Stream source)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(source);
        var content = CheckpointFiles.ReadStream(source);
        var state = content.Simulation ?? throw WorldAlone("stream");
        ThrowIfOtherSystems(state);
        WorldCheckpoint.LoadInto(world, content.World);
        return BuildRestored(world, state);
    }

    private SimulationRunner BuildRestored(World world, SimulationImage state)
    {
        var simulation = Build(world);
        try
        {
            simulation.RestoreImage(state);
            return simulation;
        }
        catch
        {
            simulation.Dispose();
            throw;
        }
    }

    // Refused before the world is loaded: a refusal leaves the world empty, as every other checkpoint error does.
    private void ThrowIfOtherSystems(SimulationImage state)
    {
        var names = new string[_systems.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = _systems[i].Name;
        }

        SimulationRunner.CursorsOf(state, names);
    }

    private static CheckpointException WorldAlone(string source) => new(
        CheckpointError.OtherSimulation,
        source,
        "it holds a world alone (WorldCheckpoint.Save), without the simulation's frame count and change cursors; load it with WorldCheckpoint.Load and build a new simulation on it, or save with SimulationRunner.SaveCheckpoint");
}
