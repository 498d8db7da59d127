using System.IO.Hashing;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.JobsWithDependency;

/// <summary>Nudges each particle's x by a hash of its position: System.IO.Hashing must load wherever the job runs.</summary>
public sealed class HashingJitterJob : IJob
{
    /// <inheritdoc/>
    public string Name => DependencyJobNames.HashingJitter;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var positions = context.Write<Position>();
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        for (var row = 0; row < positions.Length; row++)
        {
            BitConverter.TryWriteBytes(bytes, positions[row].X);
            var hash = XxHash32.HashToUInt32(bytes);
            positions[row].X += (hash & 0xFF) * 1e-6f;
        }

        context.MarkChanged<Position>(0, context.RowCount);
    }
}
