using SimHost.Host.Persistence;

namespace SimHost.Host.Running;

/// <summary>
/// Where <c>simhost run --resume</c> continues from: the newest complete checkpoint directory, whose manifest matched
/// the run, and the simulation state that manifest recorded. Its world is loaded later, straight from the files.
/// </summary>
/// <param name="Checkpoint">The checkpoint directory (checkpoint-NNNNNNNNNNNN).</param>
/// <param name="Simulation">The frame count, simulated time and system cursors the checkpoint recorded.</param>
internal sealed record ResumePoint(string Checkpoint, SimulationImage Simulation);
