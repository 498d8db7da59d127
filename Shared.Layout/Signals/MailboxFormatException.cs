namespace SimHost.Layout.Signals;

/// <summary>A mailbox file is not one this build can use: wrong size, magic, version or worker id.</summary>
internal sealed class MailboxFormatException : Exception
{
    /// <summary>Creates the exception with a one-line reason.</summary>
    public MailboxFormatException()
    {
    }

    /// <summary>Creates the exception with a one-line reason.</summary>
    /// <param name="message">What was wrong, naming the field and value.</param>
    public MailboxFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and its cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public MailboxFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
