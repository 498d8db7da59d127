using System.Runtime.CompilerServices;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Physics.Jobs;

/// <summary>
/// The built-in job <c>physics.integrate</c>: <c>Position += Velocity × dt</c> over a range, flagging only rows whose
/// position changed. It writes Position and reads Velocity and takes no parameters. It is the job the performance
/// targets are measured with, being the same work as the plain SIMD loop they are compared to.
/// </summary>
public sealed class IntegrateJob : IJob
{
    /// <summary>The job's name, as offloaded systems name it.</summary>
    public const string JobName = "physics.integrate";

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Velocity)];

    /// <inheritdoc/>
    /// <remarks>True: the step reads the live positions and writes every row of the new ones.</remarks>
    public bool WritesEveryRow => true;

    // Per row the step reads a position and a velocity and writes a position.
    private static readonly int s_bytesTouchedPerRow = (2 * Unsafe.SizeOf<Position>()) + Unsafe.SizeOf<Velocity>();

    /// <inheritdoc/>
    public void Execute(JobContext context) =>
        PositionIntegration.Run(
            context.Read<Position>(),
            context.Read<Velocity>(),
            context.Write<Position>(),
            context.ChangedWords<Position>(),
            (float)context.DeltaTime,
            streamingStores: context.ShouldStreamWrites(s_bytesTouchedPerRow));
}
