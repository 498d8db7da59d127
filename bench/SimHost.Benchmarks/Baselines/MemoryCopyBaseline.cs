namespace SimHost.Benchmarks.Baselines;

/// <summary>
/// The floor for any benchmark that moves component columns (snapshot, commit): one block copy of as many bytes as
/// the columns of <see cref="EntityCount"/> entities hold. A snapshot or commit benchmark runs <see cref="Copy"/> as
/// its baseline so its ratio reads as "cost over memcpy".
/// </summary>
public sealed class MemoryCopyBaseline
{
    private readonly byte[] _source;
    private readonly byte[] _destination;

    /// <summary>Allocates source and destination buffers for <paramref name="entityCount"/> rows of <paramref name="bytesPerEntity"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or the product overflows.</exception>
    public MemoryCopyBaseline(int entityCount, int bytesPerEntity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entityCount);
        ArgumentOutOfRangeException.ThrowIfNegative(bytesPerEntity);
        EntityCount = entityCount;
        long sizeBytes = (long)entityCount * bytesPerEntity;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sizeBytes, Array.MaxLength, nameof(bytesPerEntity));

        // Written once so the pages are mapped before the first measured copy, not during it.
        _source = new byte[sizeBytes];
        _destination = new byte[sizeBytes];
        _source.AsSpan().Fill(0xA5);
        _destination.AsSpan().Clear();
    }

    /// <summary>The number of entity rows the buffers stand for.</summary>
    public int EntityCount { get; }

    /// <summary>The number of bytes one <see cref="Copy"/> moves.</summary>
    public int SizeBytes => _source.Length;

    /// <summary>Copies the source buffer over the destination buffer.</summary>
    public void Copy() => _source.AsSpan().CopyTo(_destination);
}
