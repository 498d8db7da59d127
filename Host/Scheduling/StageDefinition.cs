namespace SimHost.Host.Scheduling;

/// <summary>One configured stage: its name and whether it runs only on the first frame.</summary>
/// <param name="Name">The stage name systems refer to (ordinal, case-sensitive).</param>
/// <param name="RunsOnce">True when the stage runs on the first frame only, like <see cref="StageNames.Startup"/>.</param>
internal sealed record StageDefinition(string Name, bool RunsOnce = false)
{
    /// <summary>The default stage list: Startup (once), then PreUpdate, Update, PostUpdate and Cleanup every frame.</summary>
    public static IReadOnlyList<StageDefinition> Defaults { get; } =
    [
        new(StageNames.Startup, RunsOnce: true),
        new(StageNames.PreUpdate),
        new(StageNames.Update),
        new(StageNames.PostUpdate),
        new(StageNames.Cleanup),
    ];
}
