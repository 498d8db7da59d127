namespace SimHostNamespace.Components;

/// <summary>How fast a body moves, in metres per second.</summary>
public record struct Velocity(float X, float Y);
