using Grazers.Components;
using SimHost.Layout.Jobs;

namespace Grazers.Jobs;

/// <summary>
/// <c>grazers.wander</c>, the compute-heavy job: every grazer smells the field's watering holes (the sum of their
/// scents over distance), turns toward the strongest, walks and spends energy. A grazer's step depends only on its
/// own row and the parameters, so it is the same on any worker and in any range.
/// </summary>
public sealed class WanderJob : IJob
{
    /// <summary>The job's name, as the wander system names it.</summary>
    public const string JobName = "grazers.wander";

    /// <summary>How many watering holes the field has.</summary>
    public const int OasisCount = 48;

    /// <inheritdoc/>
    public string Name => JobName;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position), typeof(Grazer)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        var parameters = context.ParametersAs<WanderParameters>();
        Span<float> oases = stackalloc float[OasisCount * 2];
        PlaceOases(parameters, oases);
        var positions = context.Write<Position>();
        var grazers = context.Write<Grazer>();
        var dt = (float)context.DeltaTime;
        for (var row = 0; row < positions.Length; row++)
        {
            ref var position = ref positions[row];
            ref var grazer = ref grazers[row];

            // The scent gradient: every watering hole pulls with 1 / (1 + d²), the nearest ones most.
            float pullX = 0, pullY = 0;
            for (var k = 0; k < OasisCount; k++)
            {
                var dx = Wrap(oases[2 * k] - position.X, parameters.FieldSize);
                var dy = Wrap(oases[(2 * k) + 1] - position.Y, parameters.FieldSize);
                var weight = 1f / (1f + (dx * dx) + (dy * dy));
                pullX += dx * weight * weight;
                pullY += dy * weight * weight;
            }

            // Turn part of the way toward the scent, with a wobble that comes from the grazer's own state.
            var toward = MathF.Atan2(pullY, pullX);
            var turn = Wrap(toward - grazer.Heading, MathF.Tau);
            var wobble = (Hash(position.X, position.Y) - 0.5f) * 0.6f;
            grazer.Heading = Wrap(grazer.Heading + (0.2f * turn) + wobble, MathF.Tau);
            position.X = Modulo(position.X + (MathF.Cos(grazer.Heading) * parameters.Speed * dt), parameters.FieldSize);
            position.Y = Modulo(position.Y + (MathF.Sin(grazer.Heading) * parameters.Speed * dt), parameters.FieldSize);
            grazer.Energy -= parameters.Cost * dt;
            context.MarkChanged<Position>(row);
            context.MarkChanged<Grazer>(row);
        }
    }

    /// <summary>The watering holes of <paramref name="parameters"/>: x, y pairs, the same in every process.</summary>
    public static void PlaceOases(in WanderParameters parameters, Span<float> oases)
    {
        var state = parameters.OasisSeed;
        for (var i = 0; i < oases.Length; i++)
        {
            state = (state * 1664525u) + 1013904223u;
            oases[i] = (state >> 8) * (1f / (1 << 24)) * parameters.FieldSize;
        }
    }

    // The shortest signed distance on a field that wraps around: in [-size/2, size/2).
    private static float Wrap(float delta, float size) => delta - (size * MathF.Floor((delta / size) + 0.5f));

    private static float Modulo(float value, float size)
    {
        var wrapped = value - (size * MathF.Floor(value / size));
        return wrapped >= size ? 0f : wrapped;
    }

    // A number in [0, 1) from the bits of a position: randomness that belongs to the row, not to the range.
    private static float Hash(float x, float y)
    {
        var bits = ((ulong)BitConverter.SingleToUInt32Bits(x) << 32) | BitConverter.SingleToUInt32Bits(y);
        bits ^= bits >> 33;
        bits *= 0xFF51AFD7ED558CCDUL;
        bits ^= bits >> 33;
        return (bits >> 40) * (1f / (1 << 24));
    }
}
