namespace SimHost.Host.Ecs;

/// <summary>The chunks a query matches, for <c>foreach</c>; enumerating allocates nothing.</summary>
public readonly ref struct QueryChunks
{
    private readonly Query _query;

    internal QueryChunks(Query query)
    {
        _query = query;
    }

    /// <summary>
    /// Starts the iteration: structural changes are refused until the enumerator is disposed, and a change-filtered
    /// query begins a run of its own cursor.
    /// </summary>
    public ChunkEnumerator GetEnumerator() => new(_query);
}
