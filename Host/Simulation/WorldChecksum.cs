using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using SimHost.Host.Ecs;

namespace SimHost.Host.Simulation;

/// <summary>
/// A 128-bit XxHash128 of a world's state: every live entity in index order, its handle and, for each chosen
/// component in full-type-name order, whether it has it and its bytes. Equal worlds hash equal in any process,
/// whatever order the components were registered in; it is how runs with different worker counts are compared.
/// </summary>
public static class WorldChecksum
{
    private const int BufferBytes = 64 * 1024;

    /// <summary>Hashes <paramref name="world"/> over every component any of its archetypes holds.</summary>
    /// <returns>The checksum; print it with <see cref="Format"/>.</returns>
    public static UInt128 Compute(World world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var ids = new SortedSet<int>();
        foreach (var archetype in world.Archetypes)
        {
            foreach (var id in archetype.ComponentIds)
            {
                ids.Add(id);
            }
        }

        var components = new ComponentType[ids.Count];
        var i = 0;
        foreach (var id in ids)
        {
            components[i++] = ComponentType.FromId(id);
        }

        return Compute(world, components);
    }

    /// <summary>Hashes <paramref name="world"/> over <paramref name="components"/> (and every live entity's handle).</summary>
    /// <returns>The checksum; print it with <see cref="Format"/>.</returns>
    public static UInt128 Compute(World world, params ReadOnlySpan<ComponentType> components)
    {
        ArgumentNullException.ThrowIfNull(world);
        var ordered = components.ToArray();
        Array.Sort(ordered, static (a, b) => string.CompareOrdinal(a.Type.FullName, b.Type.FullName));

        // Entities in slot-index order, each with where its row lives.
        var count = world.EntityCount;
        var indices = new int[count];
        var locations = new long[count];
        var n = 0;
        foreach (var archetype in world.Archetypes)
        {
            var entities = archetype.Entities;
            for (var row = 0; row < entities.Length; row++)
            {
                indices[n] = entities[row].Index;
                locations[n++] = ((long)archetype.Id << 32) | (uint)row;
            }
        }

        Array.Sort(indices, locations);
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            var used = 0;
            var archetypes = world.Archetypes;
            for (var i = 0; i < count; i++)
            {
                var archetype = archetypes[(int)(locations[i] >> 32)];
                var row = (int)locations[i];
                Reserve(hash, buffer, ref used, sizeof(ulong));
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), archetype.Entities[row].Value);
                used += sizeof(ulong);
                foreach (var component in ordered)
                {
                    var has = archetype.Has(component.Id);
                    var size = has ? component.SizeBytes : 0;
                    Reserve(hash, buffer, ref used, 1 + size);
                    buffer[used++] = has ? (byte)1 : (byte)0;
                    if (has)
                    {
                        archetype.GetBytes(component.Id).Slice(row * size, size).CopyTo(buffer.AsSpan(used));
                        used += size;
                    }
                }
            }

            hash.Append(buffer.AsSpan(0, used));
            return hash.GetCurrentHashAsUInt128();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Formats a checksum as 32 lowercase hex digits.</summary>
    public static string Format(UInt128 checksum) => checksum.ToString("x32", CultureInfo.InvariantCulture);

    private static void Reserve(XxHash128 hash, byte[] buffer, ref int used, int bytes)
    {
        if (used + bytes > buffer.Length)
        {
            hash.Append(buffer.AsSpan(0, used));
            used = 0;
        }

        if (bytes > buffer.Length)
        {
            throw new InvalidOperationException($"A component of {bytes} bytes is larger than the checksum buffer.");
        }
    }
}
