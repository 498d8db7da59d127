using System.Runtime.InteropServices;

namespace SimHost.Physics;

/// <summary>
/// The constants of the particles-in-a-box scenario, sent to workers as the job's parameter blob (its raw bytes,
/// little-endian, <see cref="SizeBytes"/> long).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct PhysicsParameters(
    float GravityY,
    float Damping,
    float Restitution,
    float BoxMinX,
    float BoxMinY,
    float BoxMinZ,
    float BoxMaxX,
    float BoxMaxY,
    float BoxMaxZ)
{
    /// <summary>The size of the blob.</summary>
    public const int SizeBytes = 9 * sizeof(float);

    /// <summary>The built-in scenario: Earth gravity, light damping, a 100 m box with bouncy walls.</summary>
    public static PhysicsParameters Default { get; } = new(-9.81f, 0.999f, 0.8f, 0f, 0f, 0f, 100f, 100f, 100f);

    /// <summary>Writes the blob.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[SizeBytes];
        var copy = this;
        MemoryMarshal.Write(bytes, in copy);
        return bytes;
    }

    /// <summary>Reads a blob written by <see cref="ToBytes"/>; a blob of the wrong size is an error that says so.</summary>
    public static PhysicsParameters FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length == SizeBytes
        ? MemoryMarshal.Read<PhysicsParameters>(bytes)
        : throw new ArgumentException($"Physics parameters must be {SizeBytes} bytes, got {bytes.Length}; the host and worker disagree about {nameof(PhysicsParameters)}.", nameof(bytes));
}
