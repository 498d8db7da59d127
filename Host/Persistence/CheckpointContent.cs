namespace SimHost.Host.Persistence;

/// <summary>
/// Everything one checkpoint holds: the world, optionally the simulation's state, and the identity of the run that
/// wrote it (module, seed, flags: name/value pairs a resumed run must match).
/// </summary>
internal sealed record CheckpointContent(WorldImage World, SimulationImage? Simulation, IReadOnlyDictionary<string, string> Run);
