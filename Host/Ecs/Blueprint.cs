using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// A set of component types with initial values, for creating many identical entities at once with
/// <see cref="World.CreateMany(int, Blueprint)"/>: rows are reserved once and each column filled with one span fill.
/// </summary>
public sealed class Blueprint
{
    private readonly Dictionary<int, byte[]> _values = [];
    private ComponentMask _mask;
    private Archetype? _archetype;
    private byte[][] _columnValues = [];

    /// <summary>Creates an empty blueprint (entities with no components) for <paramref name="world"/>.</summary>
    public Blueprint(World world)
    {
        World = world;
    }

    /// <summary>The world whose archetypes this blueprint targets.</summary>
    public World World { get; }

    internal Archetype Archetype => _archetype ??= Resolve();

    /// <summary>Adds component <typeparamref name="T"/> with the world's registered default value.</summary>
    /// <returns>This blueprint, for chaining.</returns>
    public Blueprint With<T>()
        where T : unmanaged => With(World.GetDefault<T>());

    /// <summary>Adds component <typeparamref name="T"/> with <paramref name="value"/>, or replaces its value.</summary>
    /// <returns>This blueprint, for chaining.</returns>
    public Blueprint With<T>(in T value)
        where T : unmanaged
    {
        int id = ComponentTypeCache<T>.Id;
        _values[id] = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
        _mask.Set(id);
        _archetype = null;
        return this;
    }

    internal ReadOnlySpan<byte> DefaultBytes(int columnIndex) => _columnValues[columnIndex];

    private Archetype Resolve()
    {
        Archetype archetype = World.GetOrCreateArchetype(_mask);
        ReadOnlySpan<int> ids = archetype.ComponentIds;
        _columnValues = new byte[ids.Length][];
        for (int i = 0; i < ids.Length; i++)
        {
            _columnValues[i] = _values[ids[i]];
        }

        return archetype;
    }
}
