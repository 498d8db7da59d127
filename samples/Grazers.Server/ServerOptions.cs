namespace Grazers.Server;

/// <summary>The server's settings, from its command line (<see cref="ServerCommandLine"/>), checked before the host starts.</summary>
internal sealed record ServerOptions
{
    /// <summary>Frames to run before stopping; 0 runs until Ctrl-C.</summary>
    public long Frames { get; init; }

    /// <summary>Worker processes; 0 runs every job in-process.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Frames per second, both the tick rate and the simulated step (dt = 1 / Hz); at least 1.</summary>
    public int Hz { get; init; } = 30;

    /// <summary>The seed of the initial world.</summary>
    public ulong Seed { get; init; } = 1;
}
