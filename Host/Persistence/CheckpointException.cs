namespace SimHost.Host.Persistence;

/// <summary>
/// A checkpoint that cannot be written, read or loaded: <see cref="Error"/> names the rule, <see cref="FileName"/> the
/// file, and the message is one line saying both. Nothing of a refused checkpoint is loaded.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/> in <paramref name="fileName"/>.</summary>
    /// <param name="error">The broken rule.</param>
    /// <param name="fileName">The file (or directory) it concerns.</param>
    /// <param name="detail">What exactly is wrong.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CheckpointException(CheckpointError error, string fileName, string detail, Exception? innerException = null)
        : base($"checkpoint {fileName}: {detail} ({error})", innerException)
    {
        Error = error;
        FileName = fileName;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public CheckpointException()
        : this(CheckpointError.Unreadable, string.Empty, "unreadable")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">The message.</param>
    public CheckpointException(string message)
        : base(message)
    {
        FileName = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = string.Empty;
    }

    /// <summary>The broken rule.</summary>
    public CheckpointError Error { get; }

    /// <summary>The file or directory the rule concerns.</summary>
    public string FileName { get; }
}
