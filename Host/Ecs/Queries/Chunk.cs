using System.Runtime.CompilerServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// A contiguous run of rows of one archetype: as a query yields them (the whole table, a change filter's run of
/// changed rows, or a parallel query's share of a table), or the rows <see cref="World.CreateMany(int, Blueprint)"/>
/// just created. Spans over it are free; writes through them are not marked changed unless you call
/// <see cref="MarkChanged{T}"/>.
/// </summary>
public readonly struct Chunk
{
    internal Chunk(Archetype archetype, int start, int length)
    {
        Archetype = archetype;
        Start = start;
        Length = length;
    }

    /// <summary>The archetype whose rows these are.</summary>
    public Archetype Archetype { get; }

    /// <summary>The first row of the chunk in its archetype.</summary>
    public int Start { get; }

    /// <summary>The number of rows (entities) in the chunk.</summary>
    public int Length { get; }

    /// <summary>The entities of the chunk's rows.</summary>
    public ReadOnlySpan<Entity> Entities => Archetype.EntitySpan.Slice(Start, Length);

    /// <summary>The chunk's rows of component <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The archetype has no such component.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Span<T>()
        where T : unmanaged => Archetype.GetColumn<T>().Values.Slice(Start, Length);

    /// <summary>Whether the chunk's archetype has component <typeparamref name="T"/> (for <c>Any</c> filters).</summary>
    public bool Has<T>()
        where T : unmanaged => Archetype.Has<T>();

    /// <summary>Marks every row of the chunk changed for component <typeparamref name="T"/> at the current tick.</summary>
    /// <exception cref="InvalidOperationException">The archetype has no such component.</exception>
    public void MarkChanged<T>()
        where T : unmanaged => Archetype.GetColumn<T>().MarkChanged(Start, Length, Archetype.World.ChangeTick);
}
