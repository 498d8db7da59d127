namespace Grazers.Server;

/// <summary>The server's settings, from the command line (<c>--frames 600</c>) or any other configuration source.</summary>
internal sealed class ServerOptions
{
    /// <summary>Frames to run before stopping; 0 runs until Ctrl-C.</summary>
    public long Frames { get; set; }

    /// <summary>Worker processes; 0 runs every job in-process.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Frames per second, both the tick rate and the simulated step (dt = 1 / Hz).</summary>
    public int Hz { get; set; } = 30;

    /// <summary>The seed of the initial world.</summary>
    public ulong Seed { get; set; } = 1;
}
