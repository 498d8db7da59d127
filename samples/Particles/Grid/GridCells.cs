using SimHost.Physics.Components;

namespace SimHost.Physics.Grid;

/// <summary>
/// The uniform grid <c>physics.grid-forces</c> relies on: the host orders particles by cell so that the particles of
/// a cell sit in consecutive rows and a tile of rows is a neighbourhood of space.
/// </summary>
public static class GridCells
{
    /// <summary>The cell of <paramref name="position"/> in a grid of cubes of side <paramref name="cellSize"/> from the origin (x fastest, then y, then z; 1024 cells per axis, clamped).</summary>
    /// <param name="position">A particle's position.</param>
    /// <param name="cellSize">The side of a cell in metres; positive.</param>
    /// <returns>The cell index.</returns>
    public static uint CellOf(in Position position, float cellSize)
    {
        static uint Axis(float value, float size) => (uint)Math.Clamp((int)MathF.Floor(value / size), 0, 1023);
        return Axis(position.X, cellSize) | (Axis(position.Y, cellSize) << 10) | (Axis(position.Z, cellSize) << 20);
    }

    /// <summary>
    /// Reorders the particles by cell (ties keep their order), moving each velocity with its position. Seeding-time
    /// work: it allocates.
    /// </summary>
    /// <param name="positions">The particles' positions, reordered in place.</param>
    /// <param name="velocities">Their velocities, reordered the same way.</param>
    /// <param name="cellSize">The side of a cell in metres; positive.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void SortByCell(Span<Position> positions, Span<Velocity> velocities, float cellSize)
    {
        if (positions.Length != velocities.Length)
        {
            throw new ArgumentException($"{positions.Length} positions but {velocities.Length} velocities.", nameof(velocities));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellSize);
        var keys = new ulong[positions.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            // Cell in the high half, original index in the low half: a total order, so the sort is stable.
            keys[i] = ((ulong)CellOf(positions[i], cellSize) << 32) | (uint)i;
        }

        Array.Sort(keys);
        var sortedPositions = new Position[keys.Length];
        var sortedVelocities = new Velocity[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var from = (int)(uint)keys[i];
            sortedPositions[i] = positions[from];
            sortedVelocities[i] = velocities[from];
        }

        sortedPositions.CopyTo(positions);
        sortedVelocities.CopyTo(velocities);
    }
}
