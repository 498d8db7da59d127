namespace SimHost.Host.Scheduling;

/// <summary>The names of the default stages; stages are plain strings so a host can configure its own list.</summary>
public static class StageNames
{
    /// <summary>Runs once, on the first frame only, before every other stage.</summary>
    public const string Startup = "Startup";

    /// <summary>Runs every frame before <see cref="Update"/>: input, spawning, timers.</summary>
    public const string PreUpdate = "PreUpdate";

    /// <summary>Runs every frame: the simulation proper.</summary>
    public const string Update = "Update";

    /// <summary>Runs every frame after <see cref="Update"/>: derived state, bookkeeping.</summary>
    public const string PostUpdate = "PostUpdate";

    /// <summary>Runs last every frame: destruction and end-of-frame cleanup.</summary>
    public const string Cleanup = "Cleanup";
}
