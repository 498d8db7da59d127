using SimHost.Host.Ecs;

namespace SimHost.Host.Offload;

/// <summary>
/// Numbers the archetypes a commit writes 0, 1, 2, ... in the order it meets them, so per-archetype figures live in
/// small arrays indexed by slot instead of a dictionary. Reused commit after commit; <see cref="Clear"/> forgets the
/// archetypes without freeing the arrays, so steady frames allocate nothing.
/// </summary>
internal sealed class ArchetypeSlots
{
    private Archetype?[] _archetypes = new Archetype?[4];
    private int[] _slotPlusOneById = [];

    /// <summary>How many archetypes have a slot.</summary>
    public int Count { get; private set; }

    /// <summary>The archetype of <paramref name="slot"/>.</summary>
    public Archetype this[int slot] => _archetypes[slot]!;

    /// <summary>The slot of <paramref name="archetype"/>, given the next one when it has none yet (<paramref name="isNew"/>).</summary>
    public int SlotOf(Archetype archetype, out bool isNew)
    {
        if (archetype.Id >= _slotPlusOneById.Length)
        {
            Array.Resize(ref _slotPlusOneById, Math.Max(archetype.Id + 1, _slotPlusOneById.Length * 2));
        }

        var slot = _slotPlusOneById[archetype.Id] - 1;
        isNew = slot < 0;
        if (!isNew)
        {
            return slot;
        }

        slot = Count++;
        if (slot == _archetypes.Length)
        {
            Array.Resize(ref _archetypes, _archetypes.Length * 2);
        }

        _archetypes[slot] = archetype;
        _slotPlusOneById[archetype.Id] = slot + 1;
        return slot;
    }

    /// <summary>Forgets every archetype (the arrays are kept).</summary>
    public void Clear()
    {
        for (var slot = 0; slot < Count; slot++)
        {
            _slotPlusOneById[_archetypes[slot]!.Id] = 0;
            _archetypes[slot] = null;
        }

        Count = 0;
    }
}
