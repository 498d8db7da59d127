using System.Buffers.Binary;
using System.Text;

namespace SimHost.Tests.Jobs.Contract;

/// <summary>
/// The contract job's parameter blob: the case (4 bytes, little-endian), then the UTF-8 path of the directory where
/// <see cref="ContractCase.FailOnce"/> claims its first runs (empty for the other cases).
/// </summary>
public sealed record ContractParameters(ContractCase Case, string MarkerDirectory = "")
{
    /// <summary>Writes the blob.</summary>
    /// <returns>The bytes to give <c>Offload(jobName, parameters)</c>.</returns>
    public byte[] ToBytes()
    {
        var path = Encoding.UTF8.GetBytes(MarkerDirectory);
        var bytes = new byte[sizeof(int) + path.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)Case);
        path.CopyTo(bytes, sizeof(int));
        return bytes;
    }

    /// <summary>Reads a blob written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="ArgumentException">The blob is shorter than the case.</exception>
    public static ContractParameters FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length < sizeof(int)
            ? throw new ArgumentException($"Contract parameters need at least {sizeof(int)} bytes, got {bytes.Length}.", nameof(bytes))
            : new ContractParameters((ContractCase)BinaryPrimitives.ReadInt32LittleEndian(bytes), Encoding.UTF8.GetString(bytes[sizeof(int)..]));
}
