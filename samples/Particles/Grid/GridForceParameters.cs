using System.Runtime.InteropServices;

namespace SimHost.Physics.Grid;

/// <summary>
/// The constants of <c>physics.grid-forces</c>, sent to workers as the job's parameter blob (its raw bytes,
/// little-endian, <see cref="SizeBytes"/> long).
/// </summary>
/// <param name="Radius">Particles closer than this, in metres, push each other apart.</param>
/// <param name="Stiffness">Acceleration, in m/s², between two particles at distance zero; it falls linearly to 0 at <paramref name="Radius"/>.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct GridForceParameters(float Radius, float Stiffness)
{
    /// <summary>The size of the blob.</summary>
    public const int SizeBytes = 2 * sizeof(float);

    /// <summary>A 5 m interaction radius and 50 m/s² at contact, sized for the 100 m box of the particle scenario.</summary>
    public static GridForceParameters Default { get; } = new(5f, 50f);

    /// <summary>Writes the blob.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[SizeBytes];
        var copy = this;
        MemoryMarshal.Write(bytes, in copy);
        return bytes;
    }

    /// <summary>Reads a blob written by <see cref="ToBytes"/>; a blob of the wrong size is an error that says so.</summary>
    public static GridForceParameters FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length == SizeBytes
        ? MemoryMarshal.Read<GridForceParameters>(bytes)
        : throw new ArgumentException($"Grid force parameters must be {SizeBytes} bytes, got {bytes.Length}; the host and worker disagree about {nameof(GridForceParameters)}.", nameof(bytes));
}
