namespace SimHost.Host.Modules;

/// <summary>
/// A module assembly that cannot be used: missing, not loadable with its dependencies, or holding no module class or
/// more than one. The message is one line naming the assembly and the fix.
/// </summary>
public sealed class ModuleLoadException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public ModuleLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public ModuleLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ModuleLoadException()
        : base("The module could not be loaded.")
    {
    }
}
