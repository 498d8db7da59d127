using System.Runtime.CompilerServices;
using SimHost.Host.Ecs;

namespace SimHost.Host.Persistence;

/// <summary>
/// The fast loader's connection of the archetypes' entities to the entity table: each live slot's record pointed at its
/// row, with the rules of <see cref="WorldImageCheck"/> checked on the way.
/// </summary>
internal static partial class CheckpointLoader
{
    /// <summary>
    /// Connects each chunk of an archetype's entity handles as soon as it has been hashed, while it is still in the
    /// cache and the other threads go on reading, once the entity table has been turned into records; a chunk hashed
    /// before that waits for the end of the read (<see cref="ConnectDeferred"/>). Connecting after the read was a pass
    /// of its own over every handle and record: 4.6-8.7 ms of a 4M-particle load's 39-68 (docs/benchmarks/README.md,
    /// seventeenth pass).
    /// </summary>
    /// <remarks>
    /// Any chunk may be connected first: each entity writes only its own slot's record, and a slot claimed twice is
    /// caught whichever claim comes second. Chunks of different archetypes are hashed on different threads, so
    /// connecting takes a lock: one chunk is a mebibyte of handles, so the lock is taken a few hundred times a load.
    /// </remarks>
    private sealed class EntityConnection(int slots)
    {
        private readonly Lock _gate = new();
        private readonly List<(Entity[] Rows, int Archetype, int First, int Count)> _deferred = [];
        private EntityRecord[] _records = [];
        private volatile bool _isTableReady;

        /// <summary>Live entities at the last generation (retired while alive), counted as they are connected.</summary>
        public long LiveRetired { get; private set; }

        /// <summary>Gives the records the entity table is read into, before the read runs.</summary>
        public void UseRecords(EntityRecord[] records) => _records = records;

        /// <summary>Says, under the entity table's hashing turn, that every record has been written.</summary>
        public void TableIsReady() => _isTableReady = true;

        /// <summary>Connects rows [<paramref name="first"/>, +<paramref name="count"/>) of archetype <paramref name="archetype"/>, now or after the read.</summary>
        /// <returns>False when a rule is broken.</returns>
        public bool Connect(Entity[] rows, int archetype, int first, int count)
        {
            lock (_gate)
            {
                if (!_isTableReady)
                {
                    _deferred.Add((rows, archetype, first, count));
                    return true;
                }

                return ConnectRows(rows.AsSpan(first, count), archetype, first);
            }
        }

        /// <summary>Connects the chunks hashed before the entity table was ready; called once the read is over.</summary>
        /// <returns>False when a rule is broken.</returns>
        public bool ConnectDeferred()
        {
            lock (_gate)
            {
                _isTableReady = true;
                foreach (var (rows, archetype, first, count) in _deferred)
                {
                    if (!ConnectRows(rows.AsSpan(first, count), archetype, first))
                    {
                        return false;
                    }
                }

                _deferred.Clear();
                return true;
            }
        }

        /// <summary>
        /// Points each entity's record at its row. Every entity must name a slot of the table, live at the entity's
        /// generation (never 0) and not claimed by another row.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool ConnectRows(ReadOnlySpan<Entity> rows, int archetype, int first)
        {
            var records = _records;
            long liveRetired = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                var entity = rows[i];
                if ((uint)entity.Index >= (uint)slots)
                {
                    return false;
                }

                ref var record = ref records[entity.Index];
                if (record.Row >= 0 || record.Generation != entity.Generation || entity.Generation == 0)
                {
                    return false;
                }

                liveRetired += entity.Generation == uint.MaxValue ? 1 : 0;
                record.ArchetypeId = archetype;
                record.Row = first + i;
            }

            LiveRetired += liveRetired;
            return true;
        }
    }
}
