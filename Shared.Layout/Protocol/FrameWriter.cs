namespace SimHost.Layout.Protocol;

/// <summary>
/// Writes frames to a byte stream (a pipe) from one reused buffer; concurrent callers are serialised so frames never
/// interleave.
/// </summary>
/// <remarks>
/// The writer does not own the stream; the caller disposes it. A write that fails or is cancelled may leave part of a
/// frame on the stream, so the writer then refuses further writes: the connection must be closed and replaced.
/// </remarks>
internal sealed class FrameWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxFrameBytes];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _isFaulted;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    /// <param name="stream">A writable stream, typically a connected pipe.</param>
    public FrameWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        _stream = stream;
    }

    /// <summary>Whether an earlier write failed part-way, leaving the stream unusable for further frames.</summary>
    public bool IsFaulted => Volatile.Read(ref _isFaulted);

    /// <summary>Encodes <paramref name="message"/> with <paramref name="sequence"/> and writes and flushes it as one frame.</summary>
    /// <param name="message">The message to send.</param>
    /// <param name="sequence">The frame's sequence number.</param>
    /// <param name="cancellationToken">Cancels the wait for the gate or the write; a cancelled write faults the writer.</param>
    /// <returns>A task that completes when the frame has been handed to the stream.</returns>
    /// <exception cref="InvalidOperationException">An earlier write faulted the writer.</exception>
    public async ValueTask WriteAsync(ProtocolMessage message, ulong sequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_isFaulted)
            {
                throw new InvalidOperationException("An earlier write failed part-way; the pipe must be closed and replaced.");
            }

            var size = FrameEncoder.Encode(message, sequence, _buffer);

            // Faulted until proven otherwise: any exception or cancellation below may leave a partial frame.
            Volatile.Write(ref _isFaulted, true);
            await _stream.WriteAsync(_buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _isFaulted, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the gate; the stream is left to its owner.</summary>
    public void Dispose() => _gate.Dispose();
}
