namespace SimHost.Worker;

/// <summary>The simhost-worker entry point.</summary>
public static class Program
{
    /// <summary>Runs one worker; started by the host.</summary>
    public static int Main(string[] args) => args.Length == 0 ? 2 : 0;
}
