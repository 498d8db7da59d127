namespace SimHost.Host.Workers;

/// <summary>The connection to a worker broke (EOF, malformed frame, protocol break); the worker must be replaced.</summary>
internal sealed class WorkerBrokenException(string message) : Exception(message)
{
}
