namespace SimHost.Layout.Components;

/// <summary>
/// Thrown when a struct cannot be a component (a field of an unsupported type, overlapping fields, not a struct)
/// or when a layout description is inconsistent. The message is one line naming the component and the field.
/// </summary>
public sealed class ComponentLayoutException : Exception
{
    /// <summary>Initializes a new instance with no message.</summary>
    public ComponentLayoutException()
    {
    }

    /// <summary>Initializes a new instance with a one-line message.</summary>
    /// <param name="message">What is wrong, naming the component and field.</param>
    public ComponentLayoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong, naming the component and field.</param>
    /// <param name="innerException">The underlying error.</param>
    public ComponentLayoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
