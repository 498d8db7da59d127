using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// Per-entity iteration through delegates: the convenient forms, one indirect call per row (the struct-callback forms
/// in <c>Query.ForEach.cs</c> are the fast ones). They index with <c>nint</c>, which compiles without a sign extension
/// per column per row.
/// </summary>
public sealed partial class Query
{
    /// <summary>Calls <paramref name="action"/> for every matched entity with its component by reference.</summary>
    /// <exception cref="InvalidOperationException">The query does not require <typeparamref name="T1"/>.</exception>
    public void ForEach<T1>(RefAction<T1> action)
        where T1 : unmanaged
    {
        EnsureRequired<T1>();
        foreach (Chunk chunk in Chunks())
        {
            ref T1 c1 = ref MemoryMarshal.GetReference(chunk.Span<T1>());
            // nint: the address arithmetic needs no sign extension per row.
            for (nint i = 0; i < chunk.Length; i++)
            {
                action(ref Unsafe.Add(ref c1, i));
            }
        }
    }

    /// <summary>Calls <paramref name="action"/> for every matched entity with its components by reference.</summary>
    /// <exception cref="InvalidOperationException">The query does not require both components.</exception>
    public void ForEach<T1, T2>(RefAction<T1, T2> action)
        where T1 : unmanaged
        where T2 : unmanaged
    {
        EnsureRequired<T1>();
        EnsureRequired<T2>();
        foreach (Chunk chunk in Chunks())
        {
            ref T1 c1 = ref MemoryMarshal.GetReference(chunk.Span<T1>());
            ref T2 c2 = ref MemoryMarshal.GetReference(chunk.Span<T2>());
            // nint: the address arithmetic needs no sign extension per row.
            for (nint i = 0; i < chunk.Length; i++)
            {
                action(ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
            }
        }
    }

    /// <summary>Calls <paramref name="action"/> for every matched entity with its components by reference.</summary>
    /// <exception cref="InvalidOperationException">The query does not require all three components.</exception>
    public void ForEach<T1, T2, T3>(RefAction<T1, T2, T3> action)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        EnsureRequired<T1>();
        EnsureRequired<T2>();
        EnsureRequired<T3>();
        foreach (Chunk chunk in Chunks())
        {
            ref T1 c1 = ref MemoryMarshal.GetReference(chunk.Span<T1>());
            ref T2 c2 = ref MemoryMarshal.GetReference(chunk.Span<T2>());
            ref T3 c3 = ref MemoryMarshal.GetReference(chunk.Span<T3>());
            // nint: the address arithmetic needs no sign extension per row.
            for (nint i = 0; i < chunk.Length; i++)
            {
                action(ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i), ref Unsafe.Add(ref c3, i));
            }
        }
    }

    /// <summary>Calls <paramref name="action"/> for every matched entity with the entity and its component.</summary>
    /// <exception cref="InvalidOperationException">The query does not require <typeparamref name="T1"/>.</exception>
    public void ForEach<T1>(RefEntityAction<T1> action)
        where T1 : unmanaged
    {
        EnsureRequired<T1>();
        foreach (Chunk chunk in Chunks())
        {
            ReadOnlySpan<Entity> entities = chunk.Entities;
            ref Entity e0 = ref MemoryMarshal.GetReference(entities);
            ref T1 c1 = ref MemoryMarshal.GetReference(chunk.Span<T1>());
            for (nint i = 0; i < entities.Length; i++)
            {
                action(Unsafe.Add(ref e0, i), ref Unsafe.Add(ref c1, i));
            }
        }
    }

    /// <summary>Calls <paramref name="action"/> for every matched entity with the entity and its components.</summary>
    /// <exception cref="InvalidOperationException">The query does not require both components.</exception>
    public void ForEach<T1, T2>(RefEntityAction<T1, T2> action)
        where T1 : unmanaged
        where T2 : unmanaged
    {
        EnsureRequired<T1>();
        EnsureRequired<T2>();
        foreach (Chunk chunk in Chunks())
        {
            ReadOnlySpan<Entity> entities = chunk.Entities;
            ref Entity e0 = ref MemoryMarshal.GetReference(entities);
            ref T1 c1 = ref MemoryMarshal.GetReference(chunk.Span<T1>());
            ref T2 c2 = ref MemoryMarshal.GetReference(chunk.Span<T2>());
            for (nint i = 0; i < entities.Length; i++)
            {
                action(Unsafe.Add(ref e0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
            }
        }
    }
}
