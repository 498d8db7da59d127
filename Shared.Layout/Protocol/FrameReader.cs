namespace SimHost.Layout.Protocol;

/// <summary>
/// Reads frames one at a time from a byte stream (a pipe) into one reused buffer of
/// <see cref="ProtocolConstants.MaxFrameBytes"/>; nothing is ever allocated from a length the peer sent.
/// </summary>
/// <remarks>
/// One reader per stream and one <see cref="ReadAsync"/> at a time: the caller is the connection's single receive loop.
/// The reader does not own the stream; the caller disposes it. Transport failures (a reset socket) surface as the
/// stream's own <see cref="IOException"/>; everything wrong with the bytes is a <see cref="ProtocolException"/>.
/// </remarks>
internal sealed class FrameReader
{
    private readonly Stream _stream;

    // Owned rather than pooled: a buffer returned to a pool while a cancelled read still writes into it would corrupt
    // someone else's data, and 64 KiB once per connection is not worth that risk (it also stays below the LOH).
    private readonly byte[] _buffer = new byte[ProtocolConstants.MaxFrameBytes];

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">A readable stream, typically a connected pipe.</param>
    public FrameReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        _stream = stream;
    }

    /// <summary>
    /// Reads the next frame. Returns <see langword="null"/> when the stream ends cleanly between frames.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; the stream is then mid-frame at an unknown point and must be closed.</param>
    /// <returns>The decoded frame, or <see langword="null"/> at a clean end of stream.</returns>
    /// <exception cref="ProtocolException">The stream ended mid-frame or the frame is invalid.</exception>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        const int HeaderSize = ProtocolConstants.HeaderSizeBytes;
        var headerRead = await _stream
            .ReadAtLeastAsync(_buffer.AsMemory(0, HeaderSize), HeaderSize, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (headerRead == 0)
        {
            return null;
        }

        if (headerRead < HeaderSize)
        {
            throw new ProtocolException(
                ProtocolError.EndOfStreamMidFrame,
                $"The stream ended after {headerRead} of the {HeaderSize} header bytes.");
        }

        // Validates the length (and version and type) before a single body byte is read.
        var header = FrameHeader.Read(_buffer.AsSpan(0, HeaderSize));
        var bodySize = header.BodySizeBytes;
        if (bodySize > 0)
        {
            var bodyRead = await _stream
                .ReadAtLeastAsync(_buffer.AsMemory(HeaderSize, bodySize), bodySize, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            if (bodyRead < bodySize)
            {
                throw new ProtocolException(
                    ProtocolError.EndOfStreamMidFrame,
                    $"The stream ended after {bodyRead} of the {bodySize} body bytes of a {header.Type} frame.");
            }
        }

        return new Frame(header.Sequence, FrameDecoder.DecodeBody(header.Type, _buffer.AsSpan(HeaderSize, bodySize)));
    }
}
