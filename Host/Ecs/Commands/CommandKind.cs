namespace SimHost.Host.Ecs;

/// <summary>What a recorded command does at playback.</summary>
internal enum CommandKind : byte
{
    Create,
    Destroy,
    Add,
    Remove,
    Set,
}
