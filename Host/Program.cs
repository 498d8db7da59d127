namespace SimHost.Host;

/// <summary>The simhost entry point.</summary>
public static class Program
{
    /// <summary>Runs the simhost command line.</summary>
    public static int Main(string[] args) => args.Length == 0 ? 0 : 2;
}
