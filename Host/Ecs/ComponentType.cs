using System.Runtime.CompilerServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// A component type known to the ECS: an unmanaged struct with a dense, process-wide id used for archetype masks
/// and column lookups.
/// </summary>
public sealed class ComponentType
{
    /// <summary>The most component types a process can register; archetype masks are fixed-size bitsets.</summary>
    public const int MaxCount = ComponentMask.Capacity;

    private static readonly Lock s_lock = new();
    private static ComponentType[] s_all = new ComponentType[16];
    private static int s_count;

    private readonly Func<int, bool, LoadArena?, Column> _columnFactory;

    private ComponentType(int id, Type type, int sizeBytes, Func<int, bool, LoadArena?, Column> columnFactory)
    {
        Id = id;
        Type = type;
        SizeBytes = sizeBytes;
        _columnFactory = columnFactory;
    }

    /// <summary>The dense id, from zero in registration order.</summary>
    public int Id { get; }

    /// <summary>The struct type.</summary>
    public Type Type { get; }

    /// <summary>The size of one value in bytes (its column stride).</summary>
    public int SizeBytes { get; }

    /// <summary>The short type name, as used in error messages.</summary>
    public string Name => Type.Name;

    /// <summary>Returns the component type of <typeparamref name="T"/>, assigning its id on first use.</summary>
    public static ComponentType Of<T>()
        where T : unmanaged => ComponentTypeCache<T>.Type;

    /// <summary>Returns the component type with the given id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No component type has that id.</exception>
    public static ComponentType FromId(int id)
    {
        ComponentType[] all = Volatile.Read(ref s_all);
        if ((uint)id >= (uint)Volatile.Read(ref s_count) || all[id] is not { } type)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, "No component type has this id.");
        }

        return type;
    }

    /// <summary>Formats the component type as its short name.</summary>
    public override string ToString() => Name;

    internal Column CreateColumn(int capacity) => _columnFactory(capacity, false, null);

    /// <summary>A column of <paramref name="capacity"/> rows whose values and ticks are not written: the caller writes every row.</summary>
    internal Column CreateUninitializedColumn(int capacity) => _columnFactory(capacity, true, null);

    /// <summary>A column of <paramref name="capacity"/> rows placed, values and ticks not written, in a checkpoint load's <paramref name="arena"/>.</summary>
    internal Column CreateColumnIn(LoadArena arena, int capacity) => _columnFactory(capacity, true, arena);

    internal static ComponentType Register<T>()
        where T : unmanaged
    {
        lock (s_lock)
        {
            if (s_count == MaxCount)
            {
                throw new InvalidOperationException(
                    $"Cannot register component {typeof(T).Name}: the process already has {MaxCount} component types.");
            }

            var type = new ComponentType(s_count, typeof(T), Unsafe.SizeOf<T>(), static (capacity, isUninitialized, arena) =>
                arena is null ? new Column<T>(capacity, isUninitialized) : new Column<T>(arena, capacity));
            if (s_count == s_all.Length)
            {
                Array.Resize(ref s_all, s_all.Length * 2);
            }

            s_all[s_count] = type;
            Volatile.Write(ref s_count, s_count + 1);
            return type;
        }
    }
}
