using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace SimHost.Layout.Protocol;

/// <summary>
/// UTF-8 rules shared by the message constructors: capped strings are validated, error text is truncated.
/// </summary>
internal static class ProtocolText
{
    // Throws on lone surrogates, so a string that passes encodes to exactly the bytes the decoder will accept back.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks that <paramref name="value"/> is non-empty, well-formed and within <paramref name="maxBytes"/> as UTF-8.</summary>
    public static string RequireCapped(string value, int maxBytes, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        int byteCount;
        try
        {
            byteCount = s_strictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"{paramName} is not well-formed UTF-16 (lone surrogate).", paramName, ex);
        }

        if (byteCount > maxBytes)
        {
            throw new ArgumentException(
                $"{paramName} is {byteCount} UTF-8 bytes; the protocol allows at most {maxBytes}.", paramName);
        }

        return value;
    }

    /// <summary>
    /// Returns the longest prefix of <paramref name="value"/> whose UTF-8 form fits in <paramref name="maxBytes"/>,
    /// never splitting a character; lone surrogates become U+FFFD so the result is well-formed.
    /// </summary>
    public static string Truncate(string value, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(value);

        Span<byte> scratch = stackalloc byte[maxBytes];
        var status = Utf8.FromUtf16(value, scratch, out _, out _, replaceInvalidSequences: false, isFinalBlock: true);
        if (status == OperationStatus.Done)
        {
            // Well-formed and within the cap: the common case keeps the caller's string.
            return value;
        }

        // Too long or holding a lone surrogate: keep whole characters only, with U+FFFD for lone surrogates.
        Utf8.FromUtf16(value, scratch, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return Encoding.UTF8.GetString(scratch[..written]);
    }
}
