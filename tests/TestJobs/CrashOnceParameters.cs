using System.Buffers.Binary;
using System.Text;
using SimHost.Physics;

namespace SimHost.Tests.Jobs;

/// <summary>
/// The parameter blob of the crash-once jobs: the <see cref="PhysicsParameters"/> blob, then how often a frame is
/// chosen to fail (4 bytes, little-endian), then the UTF-8 path of the marker directory.
/// </summary>
/// <remarks>
/// The marker directory travels in the parameters rather than an environment variable so that tests running at the
/// same time in one process (and their workers, which inherit its environment) never share markers.
/// </remarks>
public sealed record CrashOnceParameters(PhysicsParameters Physics, int FailEveryNthFrame, string MarkerDirectory)
{
    private const int FixedSizeBytes = PhysicsParameters.SizeBytes + sizeof(int);

    /// <summary>Writes the blob.</summary>
    /// <returns>The bytes to give <c>Offload(jobName, parameters)</c>.</returns>
    public byte[] ToBytes()
    {
        var path = Encoding.UTF8.GetBytes(MarkerDirectory);
        var bytes = new byte[FixedSizeBytes + path.Length];
        Physics.ToBytes().CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(PhysicsParameters.SizeBytes), FailEveryNthFrame);
        path.CopyTo(bytes, FixedSizeBytes);
        return bytes;
    }

    /// <summary>Reads a blob written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="ArgumentException">The blob is too short to hold the physics parameters and the period.</exception>
    public static CrashOnceParameters FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedSizeBytes)
        {
            throw new ArgumentException($"Crash-once parameters need at least {FixedSizeBytes} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return new CrashOnceParameters(
            PhysicsParameters.FromBytes(bytes[..PhysicsParameters.SizeBytes]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[PhysicsParameters.SizeBytes..]),
            Encoding.UTF8.GetString(bytes[FixedSizeBytes..]));
    }
}
