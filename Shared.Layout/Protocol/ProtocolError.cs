namespace SimHost.Layout.Protocol;

/// <summary>
/// Why a frame was rejected; carried by <see cref="ProtocolException.Error"/> so callers can count and log by cause.
/// </summary>
internal enum ProtocolError
{
    /// <summary>The input holds fewer bytes than the header, or fewer than the length field announces.</summary>
    TruncatedFrame = 1,

    /// <summary>The length field announces a frame larger than <see cref="ProtocolConstants.MaxFrameBytes"/>.</summary>
    FrameTooLarge = 2,

    /// <summary>The length field announces a frame smaller than the fixed header.</summary>
    InvalidLength = 3,

    /// <summary>The header's version is not <see cref="ProtocolConstants.Version"/>.</summary>
    UnsupportedVersion = 4,

    /// <summary>The header's message type is not a <see cref="MessageType"/> value.</summary>
    UnknownMessageType = 5,

    /// <summary>The body ends before a fixed-size field its message type requires.</summary>
    BodyTooShort = 6,

    /// <summary>Bytes remain after the last field of the body, or after the frame in the decoded input.</summary>
    TrailingBytes = 7,

    /// <summary>A string or blob length field points past the end of the body.</summary>
    LengthPastBodyEnd = 8,

    /// <summary>A string length, blob length or element count is above its protocol cap.</summary>
    LimitExceeded = 9,

    /// <summary>A string field is not valid UTF-8.</summary>
    InvalidUtf8 = 10,

    /// <summary>A field holds a value its message does not allow (empty name, unknown log level, overflowing range).</summary>
    InvalidFieldValue = 11,

    /// <summary>The stream ended in the middle of a frame.</summary>
    EndOfStreamMidFrame = 12,
}
