using Grazers.Components;
using SimHost.Host.Ecs;

namespace Grazers;

/// <summary>
/// The cell entity under each point of the field, found once on first use (cells are created at seeding and never
/// destroyed, so the lookup stays valid for the simulation's life).
/// </summary>
internal sealed class FieldCells(int side)
{
    private Entity[]? _cells;

    /// <summary>The cell under <paramref name="position"/>.</summary>
    public Entity At(World world, Position position)
    {
        var cells = _cells ??= Find(world, side);
        var x = Math.Clamp((int)position.X, 0, side - 1);
        var y = Math.Clamp((int)position.Y, 0, side - 1);
        return cells[(y * side) + x];
    }

    private static Entity[] Find(World world, int side)
    {
        var cells = new Entity[side * side];
        foreach (var chunk in world.Query().All<Position, Pasture>().Chunks())
        {
            var entities = chunk.Entities;
            var positions = chunk.Span<Position>();
            for (var i = 0; i < entities.Length; i++)
            {
                cells[((int)positions[i].Y * side) + (int)positions[i].X] = entities[i];
            }
        }

        return cells;
    }
}
