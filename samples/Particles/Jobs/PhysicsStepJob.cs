using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Physics.Jobs;

/// <summary>
/// The built-in job <c>physics.step</c>: gravity, damping, integration and bouncy walls over a range of particles.
/// Its parameters are a <see cref="PhysicsParameters"/> blob; it flags only rows whose values changed.
/// </summary>
public sealed class PhysicsStepJob : IJob
{
    /// <summary>The job's name, as offloaded systems name it.</summary>
    public const string JobName = "physics.step";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Velocity)];

    /// <inheritdoc/>
    /// <remarks>True: the step reads the live columns and writes every row of the written ones.</remarks>
    public bool WritesEveryRow => true;

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var parameters = PhysicsParameters.FromBytes(context.Parameters);
        var positionWords = context.ChangedWords<Position>();
        ParticleStep.Run(context.Read<Position>(), context.Read<Velocity>(), context.Write<Position>(), context.Write<Velocity>(), positionWords, (float)context.DeltaTime, parameters);

        // A row flagged for Position is flagged for Velocity too: the step changes them together.
        var velocityWords = context.ChangedWords<Velocity>();
        for (var i = 0; i < positionWords.Length; i++)
        {
            velocityWords[i] |= positionWords[i];
        }
    }
}
