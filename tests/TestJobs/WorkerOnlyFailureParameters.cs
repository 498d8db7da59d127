using System.Buffers.Binary;
using System.Text;

namespace SimHost.Tests.Jobs;

/// <summary>How the <see cref="TestJobNames.WorkerOnlyFailure"/> job takes a worker down.</summary>
public enum WorkerOnlyFailure
{
    /// <summary>Environment.FailFast: SIGABRT.</summary>
    FailFast,

    /// <summary>Environment.Exit(3) in the middle of the job.</summary>
    Exit,

    /// <summary>Spins forever, until the job timeout kills the worker.</summary>
    Hang,
}

/// <summary>
/// The parameter blob of the <see cref="TestJobNames.WorkerOnlyFailure"/> job: the host's process id and the
/// <see cref="WorkerOnlyFailure"/> (4 bytes each, little-endian), then the UTF-8 path of the marker the job leaves in
/// the host.
/// </summary>
public static class WorkerOnlyFailureParameters
{
    private const int FixedSizeBytes = 2 * sizeof(int);

    /// <summary>Writes the blob.</summary>
    /// <returns>The bytes to give <c>Offload(jobName, parameters)</c>.</returns>
    public static byte[] Write(int hostProcessId, WorkerOnlyFailure failure, string markerPath)
    {
        var path = Encoding.UTF8.GetBytes(markerPath);
        var bytes = new byte[FixedSizeBytes + path.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, hostProcessId);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(sizeof(int)), (int)failure);
        path.CopyTo(bytes, FixedSizeBytes);
        return bytes;
    }

    /// <summary>Reads a blob written by <see cref="Write"/>.</summary>
    /// <exception cref="ArgumentException">The blob is shorter than its fixed part.</exception>
    public static (int HostProcessId, WorkerOnlyFailure Failure, string MarkerPath) Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedSizeBytes)
        {
            throw new ArgumentException($"Worker-only failure parameters need at least {FixedSizeBytes} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return (
            BinaryPrimitives.ReadInt32LittleEndian(bytes),
            (WorkerOnlyFailure)BinaryPrimitives.ReadInt32LittleEndian(bytes[sizeof(int)..]),
            Encoding.UTF8.GetString(bytes[FixedSizeBytes..]));
    }
}
