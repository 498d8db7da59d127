namespace SimHost.Host.Modules;

/// <summary>
/// A parameter assignment a module cannot take: an unknown name, a value of the wrong kind or out of bounds, a
/// malformed or repeated assignment. The message is one line naming the parameter and what it accepts, worded for
/// whoever wrote the assignment: <c>simhost</c>'s <c>--param NAME=VALUE</c>, or the call a program made
/// (<c>ModuleContext.For: parameter 'herd' is a whole number from 1 to 10000000, not 'abc'</c>).
/// </summary>
public sealed class ModuleParameterException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public ModuleParameterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public ModuleParameterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ModuleParameterException()
        : base("A module parameter is not valid.")
    {
    }
}
