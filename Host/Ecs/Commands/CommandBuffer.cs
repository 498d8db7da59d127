using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// Records structural changes (create, destroy, add, remove, set) to apply later with <see cref="Playback"/>, for
/// code that runs while a query iterates. Values are copied into one byte arena: no boxing, and no allocation once
/// the buffer has grown. Not thread-safe: give each system (or each thread) its own buffer.
/// </summary>
public sealed class CommandBuffer
{
    private Command[] _commands = new Command[16];
    private byte[] _arena = new byte[256];
    private int _arenaLength;
    private int _createdCount;
    private int _playedCreatedCount;
    private Entity[] _created = new Entity[16];

    /// <summary>The number of recorded commands.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Records the creation of an entity with no components and returns a placeholder (see
    /// <see cref="Entity.IsDeferred"/>) that later commands of this buffer may target; it is never alive itself.
    /// </summary>
    public Entity Create()
    {
        var placeholder = new Entity(++_createdCount, 0);
        Append(CommandKind.Create, -1, placeholder, -1);
        return placeholder;
    }

    /// <summary>Records the destruction of an entity.</summary>
    public void Destroy(Entity entity) => Append(CommandKind.Destroy, -1, entity, -1);

    /// <summary>Records adding component <typeparamref name="T"/> with the world's registered default value.</summary>
    public void Add<T>(Entity entity)
        where T : unmanaged => Append(CommandKind.Add, ComponentTypeCache<T>.Id, entity, -1);

    /// <summary>Records adding (or overwriting) component <typeparamref name="T"/> with <paramref name="value"/>.</summary>
    public void Add<T>(Entity entity, in T value)
        where T : unmanaged => Append(CommandKind.Add, ComponentTypeCache<T>.Id, entity, Store(value));

    /// <summary>Records removing component <typeparamref name="T"/>.</summary>
    public void Remove<T>(Entity entity)
        where T : unmanaged => Append(CommandKind.Remove, ComponentTypeCache<T>.Id, entity, -1);

    /// <summary>Records writing component <typeparamref name="T"/>, which the entity must have at playback.</summary>
    public void Set<T>(Entity entity, in T value)
        where T : unmanaged => Append(CommandKind.Set, ComponentTypeCache<T>.Id, entity, Store(value));

    /// <summary>
    /// Applies the commands in recording order, then clears the buffer. Writes are marked changed at the world's
    /// current tick. Commands whose entity is no longer alive (destroyed earlier, or by another buffer) are skipped,
    /// as is removing a component the entity lacks; a <c>Set</c> of a missing component throws and stops playback.
    /// </summary>
    /// <exception cref="InvalidOperationException">A query is iterating, or a Set targets a missing component.</exception>
    public void Playback(World world)
    {
        world.EnsureNotIterating("play back a command buffer");
        try
        {
            if (_created.Length < _createdCount)
            {
                Array.Resize(ref _created, Math.Max(_createdCount, _created.Length * 2));
            }

            ReadOnlySpan<Command> commands = new(_commands, 0, Count);
            for (int i = 0; i < commands.Length; i++)
            {
                ref readonly Command command = ref commands[i];
                if (command.Kind == CommandKind.Create)
                {
                    _created[command.Entity.Index - 1] = world.Create();
                    continue;
                }

                Entity entity = command.Entity.IsDeferred ? _created[command.Entity.Index - 1] : command.Entity;
                if (!world.IsAlive(entity))
                {
                    continue;
                }

                switch (command.Kind)
                {
                    case CommandKind.Destroy:
                        world.Destroy(entity);
                        break;
                    case CommandKind.Add:
                        world.AddBytes(entity, command.ComponentId, Value(world, command));
                        break;
                    case CommandKind.Remove:
                        world.Remove(entity, command.ComponentId);
                        break;
                    case CommandKind.Set:
                        world.SetBytes(entity, command.ComponentId, Value(world, command));
                        break;
                }
            }
        }
        finally
        {
            _playedCreatedCount = _createdCount;
            Clear();
        }
    }

    /// <summary>
    /// The real entity a placeholder of the last playback became; other handles are returned unchanged. Valid until
    /// the next playback.
    /// </summary>
    /// <exception cref="ArgumentException">The placeholder was not issued before the last playback.</exception>
    public Entity Resolve(Entity entity)
    {
        if (!entity.IsDeferred)
        {
            return entity;
        }

        if (entity.Index > _playedCreatedCount)
        {
            throw new ArgumentException($"{entity} was not created by this buffer's last playback.", nameof(entity));
        }

        return _created[entity.Index - 1];
    }

    /// <summary>Forgets every recorded command; placeholders issued so far become meaningless.</summary>
    public void Clear()
    {
        Count = 0;
        _arenaLength = 0;
        _createdCount = 0;
    }

    private ReadOnlySpan<byte> Value(World world, in Command command) =>
        command.ValueOffset < 0
            ? world.DefaultBytes(command.ComponentId)
            : new ReadOnlySpan<byte>(_arena, command.ValueOffset, ComponentType.FromId(command.ComponentId).SizeBytes);

    private int Store<T>(in T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (_arenaLength + size > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arenaLength + size, _arena.Length * 2));
        }

        int offset = _arenaLength;
        MemoryMarshal.Write(_arena.AsSpan(offset, size), in value);
        _arenaLength += size;
        return offset;
    }

    private void Append(CommandKind kind, int componentId, Entity entity, int valueOffset)
    {
        if (entity.IsNull)
        {
            throw new ArgumentException("Cannot record a command for the null entity.", nameof(entity));
        }

        if (Count == _commands.Length)
        {
            Array.Resize(ref _commands, _commands.Length * 2);
        }

        _commands[Count++] = new Command
        {
            Kind = kind,
            ComponentId = componentId,
            Entity = entity,
            ValueOffset = valueOffset,
        };
    }
}
