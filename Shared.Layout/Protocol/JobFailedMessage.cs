using System.Text;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Worker to host: the job of the frame's sequence number threw; the host discards the range and runs it again.
/// </summary>
/// <remarks>
/// Body layout (little-endian): error text (u16 length + UTF-8, at most <see cref="ProtocolConstants.MaxErrorTextBytes"/>).
/// See docs/protocol.md.
/// </remarks>
internal sealed record JobFailedMessage : ProtocolMessage
{
    /// <summary>Creates a JobFailed; text longer than the cap is truncated at a character boundary, never rejected.</summary>
    /// <param name="errorText">What went wrong, typically the exception's type and message.</param>
    public JobFailedMessage(string errorText)
    {
        ErrorText = ProtocolText.Truncate(errorText, ProtocolConstants.MaxErrorTextBytes);
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.JobFailed;

    /// <summary>What went wrong; at most <see cref="ProtocolConstants.MaxErrorTextBytes"/> UTF-8 bytes.</summary>
    public string ErrorText { get; }

    internal override int BodySizeBytes => sizeof(ushort) + Encoding.UTF8.GetByteCount(ErrorText);

    internal override void WriteBody(ref BodyWriter writer) => writer.WriteString(ErrorText);

    internal static JobFailedMessage ReadBody(ref BodyReader reader)
    {
        var errorText = reader.ReadString(ProtocolConstants.MaxErrorTextBytes, "ErrorText");
        reader.EnsureEnd();
        return new JobFailedMessage(errorText);
    }
}
