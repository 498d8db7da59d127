namespace SimHost.Host.Ecs;

/// <summary>One recorded command; its component value, if any, lives in the buffer's byte arena.</summary>
internal struct Command
{
    public CommandKind Kind;

    public int ComponentId;

    public Entity Entity;

    /// <summary>Offset of the value in the arena, or -1 for "the world's registered default value".</summary>
    public int ValueOffset;
}
