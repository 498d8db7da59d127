namespace SimHost.Host.Running;

/// <summary>
/// The checkpoint <c>--resume</c> chose is damaged (a hash, length or header rule broken): the run fails with exit 1 and
/// one line naming the file and the rule, and how to resume from the checkpoint before it. Nothing was loaded.
/// </summary>
internal sealed class DamagedCheckpointException : Exception
{
    /// <summary>Creates the exception with its one-line message, which names the file, the rule and the fix.</summary>
    public DamagedCheckpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the checkpoint reader's error.</summary>
    public DamagedCheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public DamagedCheckpointException()
        : base("The checkpoint to resume from is damaged.")
    {
    }
}
