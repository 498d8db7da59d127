using SimHost.Layout.Jobs;
using SimHost.Physics.Components;
using SimHost.Physics.Grid;

namespace SimHost.Physics.Jobs;

/// <summary>
/// The built-in job <c>physics.grid-forces</c>: short-range pairwise repulsion between the particles of each tile of
/// 64 rows (<see cref="GridForces"/>), compute-heavy (64 pair tests per particle). Reads Position, writes Velocity;
/// its parameters are a <see cref="GridForceParameters"/> blob.
/// </summary>
public sealed class GridForcesJob : IJob
{
    /// <summary>The job's name, as offloaded systems name it.</summary>
    public const string JobName = "physics.grid-forces";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Velocity)];

    /// <inheritdoc/>
    /// <remarks>True: every velocity row is written from the live velocity.</remarks>
    public bool WritesEveryRow => true;

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var parameters = GridForceParameters.FromBytes(context.Parameters);
        GridForces.Apply(context.Read<Position>(), context.Read<Velocity>(), context.Write<Velocity>(), context.ChangedWords<Velocity>(), (float)context.DeltaTime, parameters);
    }
}
