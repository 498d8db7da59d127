namespace SimHost.Host.Simulation;

/// <summary>The systems given to a <see cref="SimulationBuilder"/> are inconsistent; the message lists every problem.</summary>
public sealed class SimulationBuildException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public SimulationBuildException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public SimulationBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SimulationBuildException()
        : base("The simulation could not be built.")
    {
    }
}
