using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SimHost.Host.Ecs;

/// <summary>
/// Per-entity iteration. The struct-callback forms are the fast ones: the JIT specialises the loop per callback type
/// and inlines <c>Execute</c>, so the inner loop is plain ref arithmetic over the columns.
/// </summary>
/// <remarks>
/// The struct-callback loops index every column with one <c>nint</c> row, four rows per iteration with a remainder
/// loop for the last zero to three: the body is the callback's loads and stores four times at constant offsets, then
/// one add, one compare and one branch per four rows (an <c>int</c> index compiled to a sign extension per column per
/// row). They never form a reference past a column's end: stepping refs up to an end reference did, which the runtime
/// does not allow (a collection at that moment can relocate the column without that reference) and bought only
/// ~0.1 ns a row. The callback's Execute still runs once per row, in row order.
/// </remarks>
public sealed partial class Query
{
    /// <summary>Runs a struct callback for every matched entity; the fast form.</summary>
    /// <exception cref="InvalidOperationException">The query does not require <typeparamref name="T1"/>.</exception>
    public void ForEach<TCallback, T1>(ref TCallback callback)
        where TCallback : struct, IForEach<T1>
        where T1 : unmanaged
    {
        EnsureRequired<T1>();
        foreach (Chunk chunk in Chunks())
        {
            // A per-chunk local copy keeps the callback's fields in registers: through the ref, every component
            // store could alias them, and a local that outlives the foreach's try block is kept on the stack.
            TCallback local = callback;
            Span<T1> span1 = chunk.Span<T1>();
            ref T1 c1 = ref MemoryMarshal.GetReference(span1);
            nint length = span1.Length;
            nint i = 0;
            for (; i <= length - 4; i += 4)
            {
                local.Execute(ref Unsafe.Add(ref c1, i));
                local.Execute(ref Unsafe.Add(ref c1, i + 1));
                local.Execute(ref Unsafe.Add(ref c1, i + 2));
                local.Execute(ref Unsafe.Add(ref c1, i + 3));
            }

            for (; i < length; i++)
            {
                local.Execute(ref Unsafe.Add(ref c1, i));
            }

            callback = local;
        }
    }

    /// <summary>Runs a struct callback for every matched entity; the fast form.</summary>
    /// <exception cref="InvalidOperationException">The query does not require both components.</exception>
    public void ForEach<TCallback, T1, T2>(ref TCallback callback)
        where TCallback : struct, IForEach<T1, T2>
        where T1 : unmanaged
        where T2 : unmanaged
    {
        EnsureRequired<T1>();
        EnsureRequired<T2>();
        foreach (Chunk chunk in Chunks())
        {
            // A per-chunk local copy keeps the callback's fields in registers: through the ref, every component
            // store could alias them, and a local that outlives the foreach's try block is kept on the stack.
            TCallback local = callback;
            Span<T1> span1 = chunk.Span<T1>();
            ref T1 c1 = ref MemoryMarshal.GetReference(span1);
            ref T2 c2 = ref MemoryMarshal.GetReference(chunk.Span<T2>());
            nint length = span1.Length;
            nint i = 0;
            for (; i <= length - 4; i += 4)
            {
                local.Execute(ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
                local.Execute(ref Unsafe.Add(ref c1, i + 1), ref Unsafe.Add(ref c2, i + 1));
                local.Execute(ref Unsafe.Add(ref c1, i + 2), ref Unsafe.Add(ref c2, i + 2));
                local.Execute(ref Unsafe.Add(ref c1, i + 3), ref Unsafe.Add(ref c2, i + 3));
            }

            for (; i < length; i++)
            {
                local.Execute(ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
            }

            callback = local;
        }
    }

    /// <summary>Runs a struct callback for every matched entity; the fast form.</summary>
    /// <exception cref="InvalidOperationException">The query does not require all three components.</exception>
    public void ForEach<TCallback, T1, T2, T3>(ref TCallback callback)
        where TCallback : struct, IForEach<T1, T2, T3>
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        EnsureRequired<T1>();
        EnsureRequired<T2>();
        EnsureRequired<T3>();
        foreach (Chunk chunk in Chunks())
        {
            // A per-chunk local copy keeps the callback's fields in registers: through the ref, every component
            // store could alias them, and a local that outlives the foreach's try block is kept on the stack.
            TCallback local = callback;
            Span<T1> span1 = chunk.Span<T1>();
            ref T1 c1 = ref MemoryMarshal.GetReference(span1);
            ref T2 c2 = ref MemoryMarshal.GetReference(chunk.Span<T2>());
            ref T3 c3 = ref MemoryMarshal.GetReference(chunk.Span<T3>());
            nint length = span1.Length;
            nint i = 0;
            for (; i <= length - 4; i += 4)
            {
                local.Execute(ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i), ref Unsafe.Add(ref c3, i));
                local.Execute(ref Unsafe.Add(ref c1, i + 1), ref Unsafe.Add(ref c2, i + 1), ref Unsafe.Add(ref c3, i + 1));
                local.Execute(ref Unsafe.Add(ref c1, i + 2), ref Unsafe.Add(ref c2, i + 2), ref Unsafe.Add(ref c3, i + 2));
                local.Execute(ref Unsafe.Add(ref c1, i + 3), ref Unsafe.Add(ref c2, i + 3), ref Unsafe.Add(ref c3, i + 3));
            }

            for (; i < length; i++)
            {
                local.Execute(ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i), ref Unsafe.Add(ref c3, i));
            }

            callback = local;
        }
    }

    /// <summary>Runs an entity-aware struct callback for every matched entity.</summary>
    /// <exception cref="InvalidOperationException">The query does not require <typeparamref name="T1"/>.</exception>
    public void ForEachEntity<TCallback, T1>(ref TCallback callback)
        where TCallback : struct, IForEachEntity<T1>
        where T1 : unmanaged
    {
        EnsureRequired<T1>();
        foreach (Chunk chunk in Chunks())
        {
            // A per-chunk local copy keeps the callback's fields in registers: through the ref, every component
            // store could alias them, and a local that outlives the foreach's try block is kept on the stack.
            TCallback local = callback;
            ReadOnlySpan<Entity> entities = chunk.Entities;
            ref Entity e0 = ref MemoryMarshal.GetReference(entities);
            ref T1 c1 = ref MemoryMarshal.GetReference(chunk.Span<T1>());
            for (nint i = 0; i < entities.Length; i++)
            {
                local.Execute(Unsafe.Add(ref e0, i), ref Unsafe.Add(ref c1, i));
            }

            callback = local;
        }
    }

    /// <summary>Runs an entity-aware struct callback for every matched entity.</summary>
    /// <exception cref="InvalidOperationException">The query does not require both components.</exception>
    public void ForEachEntity<TCallback, T1, T2>(ref TCallback callback)
        where TCallback : struct, IForEachEntity<T1, T2>
        where T1 : unmanaged
        where T2 : unmanaged
    {
        EnsureRequired<T1>();
        EnsureRequired<T2>();
        foreach (Chunk chunk in Chunks())
        {
            // A per-chunk local copy keeps the callback's fields in registers: through the ref, every component
            // store could alias them, and a local that outlives the foreach's try block is kept on the stack.
            TCallback local = callback;
            ReadOnlySpan<Entity> entities = chunk.Entities;
            ref Entity e0 = ref MemoryMarshal.GetReference(entities);
            ref T1 c1 = ref MemoryMarshal.GetReference(chunk.Span<T1>());
            ref T2 c2 = ref MemoryMarshal.GetReference(chunk.Span<T2>());
            for (nint i = 0; i < entities.Length; i++)
            {
                local.Execute(Unsafe.Add(ref e0, i), ref Unsafe.Add(ref c1, i), ref Unsafe.Add(ref c2, i));
            }

            callback = local;
        }
    }

    private void EnsureRequired<T>()
        where T : unmanaged
    {
        if (!_all.Has(ComponentTypeCache<T>.Id))
        {
            throw new InvalidOperationException(
                $"The query does not require {ComponentTypeCache<T>.Type.Name}; add All<{ComponentTypeCache<T>.Type.Name}>() " +
                "to iterate it (use Chunks() and Chunk.Has<T>() for Any components).");
        }
    }
}
