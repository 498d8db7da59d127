namespace SimHostNamespace.Jobs;

using global::SimHost.Layout.Jobs;
using Components;

/// <summary>
/// <c>simhostmodule.move</c>, the offloaded job: every body moves by its velocity and bounces off the box's walls.
/// A row's result depends only on that row and the parameters, so it is the same on any worker and in-process.
/// </summary>
public sealed class MoveJob : IJob
{
    /// <summary>The job's name, as the move system names it.</summary>
    public const string JobName = "simhostmodule.move";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Velocity)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var size = context.ParametersAs<MoveParameters>().BoxSize;
        var positions = context.Write<Position>();
        var velocities = context.Write<Velocity>();
        var dt = (float)context.DeltaTime;
        for (var row = 0; row < positions.Length; row++)
        {
            ref var position = ref positions[row];
            ref var velocity = ref velocities[row];
            position.X += velocity.X * dt;
            position.Y += velocity.Y * dt;
            if (position.X < 0 || position.X > size)
            {
                velocity.X = -velocity.X;
                position.X = Math.Clamp(position.X, 0, size);
            }

            if (position.Y < 0 || position.Y > size)
            {
                velocity.Y = -velocity.Y;
                position.Y = Math.Clamp(position.Y, 0, size);
            }

            // Only flagged rows are committed back to the world.
            context.MarkChanged<Position>(row);
            context.MarkChanged<Velocity>(row);
        }
    }
}
