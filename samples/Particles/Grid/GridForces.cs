using SimHost.Physics.Components;

namespace SimHost.Physics.Grid;

/// <summary>
/// Short-range pairwise repulsion inside tiles of <see cref="TileRows"/> consecutive rows: every particle is pushed
/// away from each other particle of its tile closer than the radius. The host keeps a cell's particles in consecutive
/// rows (<see cref="GridCells.SortByCell"/>), so a tile is a neighbourhood of space; tiles start on multiples of
/// <see cref="TileRows"/>, the same alignment as job ranges, so a range always holds whole tiles and the result does
/// not depend on how rows are split between workers.
/// </summary>
public static class GridForces
{
    /// <summary>Rows per tile: the job range alignment, so no tile straddles two ranges.</summary>
    public const int TileRows = 64;

    /// <summary>
    /// Writes <c>velocity + dt × repulsion</c> of every row into <paramref name="written"/> and flags each row whose
    /// velocity changed. Rows are relative to a range start that is a multiple of <see cref="TileRows"/>.
    /// </summary>
    /// <param name="positions">Positions of the range.</param>
    /// <param name="velocities">Velocities of the range before the step.</param>
    /// <param name="written">Where the new velocities go; may be the same memory as <paramref name="velocities"/>.</param>
    /// <param name="changedWords">Changed bits of the velocities, one bit per row.</param>
    /// <param name="dt">Seconds the step advances.</param>
    /// <param name="parameters">Radius and stiffness.</param>
    /// <exception cref="ArgumentException">The spans differ in length or the bitset is too short.</exception>
    public static void Apply(
        ReadOnlySpan<Position> positions,
        ReadOnlySpan<Velocity> velocities,
        Span<Velocity> written,
        Span<ulong> changedWords,
        float dt,
        in GridForceParameters parameters)
    {
        var count = positions.Length;
        if (velocities.Length != count || written.Length != count)
        {
            throw new ArgumentException($"{count} positions, {velocities.Length} velocities and {written.Length} written rows must match.", nameof(written));
        }

        if (changedWords.Length < (count + 63) / 64)
        {
            throw new ArgumentException($"{changedWords.Length} changed words cannot hold {count} rows.", nameof(changedWords));
        }

        // Staged as three float arrays per tile so the inner loop streams plain floats; the sums run in row order,
        // the same in every process, so results are bit-identical however the tiles are spread over workers.
        Span<float> x = stackalloc float[TileRows];
        Span<float> y = stackalloc float[TileRows];
        Span<float> z = stackalloc float[TileRows];
        var radiusSquared = parameters.Radius * parameters.Radius;
        var inverseRadius = 1f / parameters.Radius;
        for (var tileStart = 0; tileStart < count; tileStart += TileRows)
        {
            var rows = Math.Min(TileRows, count - tileStart);
            for (var i = 0; i < rows; i++)
            {
                var p = positions[tileStart + i];
                (x[i], y[i], z[i]) = (p.X, p.Y, p.Z);
            }

            var word = 0UL;
            for (var i = 0; i < rows; i++)
            {
                float ax = 0f, ay = 0f, az = 0f;
                float xi = x[i], yi = y[i], zi = z[i];
                for (var j = 0; j < rows; j++)
                {
                    var dx = xi - x[j];
                    var dy = yi - y[j];
                    var dz = zi - z[j];
                    var distanceSquared = (dx * dx) + (dy * dy) + (dz * dz);

                    // j == i and coincident particles have distance 0: no defined direction, no push.
                    if (distanceSquared < radiusSquared && distanceSquared > 0f)
                    {
                        var distance = MathF.Sqrt(distanceSquared);
                        var push = parameters.Stiffness * ((1f / distance) - inverseRadius);
                        ax += dx * push;
                        ay += dy * push;
                        az += dz * push;
                    }
                }

                var before = velocities[tileStart + i];
                var after = new Velocity(before.X + (ax * dt), before.Y + (ay * dt), before.Z + (az * dt));
                written[tileStart + i] = after;
                if (after.X != before.X || after.Y != before.Y || after.Z != before.Z)
                {
                    word |= 1UL << i;
                }
            }

            changedWords[tileStart / 64] |= word;
        }
    }
}
