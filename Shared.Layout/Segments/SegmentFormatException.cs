namespace SimHost.Layout.Segments;

/// <summary>
/// Thrown when a segment file is unreadable, corrupt or not the layout the caller expects; the only exception
/// <see cref="SharedSegment.Open"/> lets escape.
/// </summary>
internal sealed class SegmentFormatException : Exception
{
    /// <summary>Creates the exception for a rule violated by the segment at <paramref name="segmentPath"/>.</summary>
    /// <param name="error">The rule that was violated.</param>
    /// <param name="segmentPath">The segment file.</param>
    /// <param name="detail">One line naming the problem, without the file.</param>
    /// <param name="innerException">The IO or mapping failure behind the error, if any.</param>
    public SegmentFormatException(SegmentError error, string segmentPath, string detail, Exception? innerException = null)
        : base($"segment '{segmentPath}': {detail}", innerException)
    {
        Error = error;
        SegmentPath = segmentPath;
    }

    /// <summary>Creates the exception with a message only; prefer the constructor that names the error.</summary>
    public SegmentFormatException()
        : this(SegmentError.Unreadable, string.Empty, "invalid segment")
    {
    }

    /// <summary>Creates the exception with a message only; prefer the constructor that names the error.</summary>
    /// <param name="message">The message.</param>
    public SegmentFormatException(string message)
        : base(message)
    {
        Error = SegmentError.Unreadable;
        SegmentPath = string.Empty;
    }

    /// <summary>Creates the exception with a message and cause; prefer the constructor that names the error.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SegmentFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = SegmentError.Unreadable;
        SegmentPath = string.Empty;
    }

    /// <summary>The validation rule that failed.</summary>
    public SegmentError Error { get; }

    /// <summary>The segment file that failed it.</summary>
    public string SegmentPath { get; }
}
