namespace SimHost.Host.Ecs;

/// <summary>
/// Walks a query's matched archetypes and yields their rows as chunks. While it is alive the world refuses
/// structural changes; <c>foreach</c> disposes it.
/// </summary>
public ref struct ChunkEnumerator
{
    private readonly World _world;
    private readonly ReadOnlySpan<Archetype> _archetypes;
    private readonly ReadOnlySpan<int> _changedIds;
    private readonly Span<Column> _ticks;
    private readonly uint _since;
    private int _archetypeIndex;
    private int _nextRow;
    private Chunk _current;
    private bool _disposed;

    internal ChunkEnumerator(Query query)
    {
        _world = query.World;
        _archetypes = query.MatchedArchetypes;
        _changedIds = query.ChangedIds;
        _ticks = query.TickScratch;
        if (_changedIds.Length > 0)
        {
            _since = query.BeginChangeRun();
        }

        _archetypeIndex = -1;
        _world.EnterIteration();
    }

    /// <summary>The current chunk.</summary>
    public readonly Chunk Current => _current;

    /// <summary>Moves to the next non-empty chunk.</summary>
    /// <returns>Whether there is one.</returns>
    public bool MoveNext()
    {
        if (_changedIds.Length == 0)
        {
            while (++_archetypeIndex < _archetypes.Length)
            {
                Archetype archetype = _archetypes[_archetypeIndex];
                if (archetype.Count > 0)
                {
                    _current = new Chunk(archetype, 0, archetype.Count);
                    return true;
                }
            }

            return false;
        }

        return MoveNextChanged();
    }

    /// <summary>Ends the iteration; structural changes are allowed again once every enumerator is disposed.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _world.ExitIteration();
        }
    }

    /// <summary>Yields the next run of rows whose every change-filtered column is newer than the cursor.</summary>
    private bool MoveNextChanged()
    {
        while (true)
        {
            if (_archetypeIndex >= 0 && _nextRow < _archetypes[_archetypeIndex].Count)
            {
                int count = _archetypes[_archetypeIndex].Count;
                int row = _nextRow;
                while (row < count && !RowChanged(row))
                {
                    row++;
                }

                int end = row;
                while (end < count && RowChanged(end))
                {
                    end++;
                }

                _nextRow = end;
                if (end > row)
                {
                    _current = new Chunk(_archetypes[_archetypeIndex], row, end - row);
                    return true;
                }
            }

            if (!NextChangedArchetype())
            {
                return false;
            }
        }
    }

    private bool NextChangedArchetype()
    {
        while (++_archetypeIndex < _archetypes.Length)
        {
            Archetype archetype = _archetypes[_archetypeIndex];
            if (archetype.Count == 0)
            {
                continue;
            }

            bool allNewer = true;
            for (int i = 0; i < _changedIds.Length; i++)
            {
                Column column = archetype.GetColumn(_changedIds[i]);
                allNewer &= column.LastChangedTick > _since;
                column.ApplyDeferredStamp();
                _ticks[i] = column;
            }

            if (allNewer)
            {
                _nextRow = 0;
                return true;
            }
        }

        return false;
    }

    private readonly bool RowChanged(int row)
    {
        for (int i = 0; i < _ticks.Length; i++)
        {
            if (_ticks[i].StoredChangedTicks[row] <= _since)
            {
                return false;
            }
        }

        return true;
    }
}
