namespace SimHost.Host.Ecs;

/// <summary>
/// A cached set of archetypes matching component filters: entities with <c>All</c> of some components, at least one
/// of the <c>Any</c> components, none of the <c>None</c> components, and (optionally) rows <c>Changed</c> since the
/// query's last run. Archetypes created after the query was built are picked up incrementally. A query is used by
/// one thread at a time.
/// </summary>
public sealed partial class Query
{
    private ComponentMask _all;
    private ComponentMask _any;
    private ComponentMask _none;
    private ComponentMask _changed;
    private int[] _changedIds = [];
    private Column[] _tickScratch = [];
    private Archetype[] _matched = new Archetype[4];
    private int _matchedCount;
    private int _seenArchetypes;
    private ChangeCursor _cursor = new();
    private bool _ownsCursor = true;

    internal Query(World world)
    {
        World = world;
    }

    /// <summary>The world this query reads.</summary>
    public World World { get; }

    /// <summary>The change cursor the <c>Changed</c> filters compare against.</summary>
    internal ChangeCursor Cursor => _cursor;

    /// <summary>The archetypes the query currently matches (refreshed if new archetypes appeared).</summary>
    public ReadOnlySpan<Archetype> Archetypes => MatchedArchetypes;

    /// <summary>The number of entities in the matched archetypes; change filters are not applied.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (Archetype archetype in MatchedArchetypes)
            {
                count += archetype.Count;
            }

            return count;
        }
    }

    internal ReadOnlySpan<Archetype> MatchedArchetypes
    {
        get
        {
            if (_seenArchetypes != World.ArchetypeVersion)
            {
                Refresh();
            }

            return new ReadOnlySpan<Archetype>(_matched, 0, _matchedCount);
        }
    }

    internal ReadOnlySpan<int> ChangedIds => _changedIds;

    internal Span<Column> TickScratch => _tickScratch;

    /// <summary>Requires component <typeparamref name="T1"/>.</summary>
    /// <returns>This query, for chaining.</returns>
    public Query All<T1>()
        where T1 : unmanaged => Require(ref _all, ComponentTypeCache<T1>.Id);

    /// <summary>Requires components <typeparamref name="T1"/> and <typeparamref name="T2"/>.</summary>
    /// <returns>This query, for chaining.</returns>
    public Query All<T1, T2>()
        where T1 : unmanaged
        where T2 : unmanaged => All<T1>().All<T2>();

    /// <summary>Requires three components.</summary>
    /// <returns>This query, for chaining.</returns>
    public Query All<T1, T2, T3>()
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged => All<T1>().All<T2>().All<T3>();

    /// <summary>Requires at least one of the <c>Any</c> components, this one among them.</summary>
    /// <returns>This query, for chaining.</returns>
    public Query Any<T1>()
        where T1 : unmanaged => Require(ref _any, ComponentTypeCache<T1>.Id);

    /// <summary>Requires at least one of the <c>Any</c> components, these two among them.</summary>
    /// <returns>This query, for chaining.</returns>
    public Query Any<T1, T2>()
        where T1 : unmanaged
        where T2 : unmanaged => Any<T1>().Any<T2>();

    /// <summary>Excludes entities with component <typeparamref name="T1"/>.</summary>
    /// <returns>This query, for chaining.</returns>
    public Query None<T1>()
        where T1 : unmanaged => Require(ref _none, ComponentTypeCache<T1>.Id);

    /// <summary>Excludes entities with either component.</summary>
    /// <returns>This query, for chaining.</returns>
    public Query None<T1, T2>()
        where T1 : unmanaged
        where T2 : unmanaged => None<T1>().None<T2>();

    /// <summary>
    /// Requires <typeparamref name="T"/> and yields only rows whose <typeparamref name="T"/> was written since the
    /// cursor's previous run (several <c>Changed</c> filters must all hold). Writes through <see cref="World.Get{T}"/>
    /// or chunk spans count only once marked changed.
    /// </summary>
    /// <returns>This query, for chaining.</returns>
    public Query Changed<T>()
        where T : unmanaged
    {
        int id = ComponentTypeCache<T>.Id;
        Require(ref _all, id);
        Require(ref _changed, id);
        _changedIds = _changed.ToIds();
        _tickScratch = new Column[_changedIds.Length];
        return this;
    }

    /// <summary>
    /// Uses a cursor shared with the other queries of one system. Its owner calls <see cref="ChangeCursor.BeginRun"/>
    /// once per run; without this, the query owns a cursor and begins a run each time it starts iterating.
    /// </summary>
    /// <returns>This query, for chaining.</returns>
    internal Query WithCursor(ChangeCursor cursor)
    {
        _cursor = cursor;
        _ownsCursor = false;
        return this;
    }

    /// <summary>The matched rows as chunks: <c>foreach (Chunk chunk in query.Chunks())</c>.</summary>
    public QueryChunks Chunks() => new(this);

    /// <summary>Whether the query matches archetypes with this component set.</summary>
    internal bool Matches(in ComponentMask mask) =>
        mask.ContainsAll(_all)
        && (_any.IsEmpty || mask.ContainsAny(_any))
        && !mask.ContainsAny(_none);

    /// <summary>Begins a change run if the query owns its cursor, and returns the tick changes must be newer than.</summary>
    internal uint BeginChangeRun()
    {
        if (_ownsCursor)
        {
            _cursor.BeginRun(World);
        }

        return _cursor.SinceTick;
    }

    private Query Require(ref ComponentMask mask, int id)
    {
        mask.Set(id);
        _matchedCount = 0;
        _seenArchetypes = 0;
        return this;
    }

    private void Refresh()
    {
        ReadOnlySpan<Archetype> archetypes = World.Archetypes;
        for (int i = _seenArchetypes; i < archetypes.Length; i++)
        {
            Archetype archetype = archetypes[i];
            if (Matches(archetype.Mask))
            {
                if (_matchedCount == _matched.Length)
                {
                    Array.Resize(ref _matched, _matched.Length * 2);
                }

                _matched[_matchedCount++] = archetype;
            }
        }

        _seenArchetypes = archetypes.Length;
    }
}
