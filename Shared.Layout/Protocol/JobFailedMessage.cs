using System.Text;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Worker to host: the job of the frame's sequence number threw; the host discards the range and runs it again.
/// </summary>
/// <remarks>
/// Body layout (little-endian): error text (u16 length + UTF-8, at most <see cref="ProtocolConstants.MaxErrorTextBytes"/>),
/// then the reason code (u8, a <see cref="JobFailureReason"/>). See docs/protocol.md.
/// </remarks>
internal sealed record JobFailedMessage : ProtocolMessage
{
    /// <summary>Creates a JobFailed; text longer than the cap is truncated at a character boundary, never rejected.</summary>
    /// <param name="errorText">What went wrong, typically the exception's type and message.</param>
    /// <param name="reason">Why, as the code the host decides by.</param>
    public JobFailedMessage(string errorText, JobFailureReason reason = JobFailureReason.JobThrew)
    {
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, $"Not a {nameof(JobFailureReason)}.");
        }

        ErrorText = ProtocolText.Truncate(errorText, ProtocolConstants.MaxErrorTextBytes);
        Reason = reason;
    }

    /// <inheritdoc/>
    public override MessageType Type => MessageType.JobFailed;

    /// <summary>What went wrong; at most <see cref="ProtocolConstants.MaxErrorTextBytes"/> UTF-8 bytes.</summary>
    public string ErrorText { get; }

    /// <summary>Why the range failed: the code the host decides by.</summary>
    public JobFailureReason Reason { get; }

    internal override int BodySizeBytes => sizeof(ushort) + Encoding.UTF8.GetByteCount(ErrorText) + sizeof(byte);

    internal override void WriteBody(ref BodyWriter writer)
    {
        writer.WriteString(ErrorText);
        writer.WriteByte((byte)Reason);
    }

    internal static JobFailedMessage ReadBody(ref BodyReader reader)
    {
        var errorText = reader.ReadString(ProtocolConstants.MaxErrorTextBytes, "ErrorText");
        var code = reader.ReadByte("Reason");
        BodyReader.Require(Enum.IsDefined((JobFailureReason)code), $"JobFailed.Reason {code} is not a known failure reason.");
        reader.EnsureEnd();
        return new JobFailedMessage(errorText, (JobFailureReason)code);
    }
}
