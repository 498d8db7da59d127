namespace SimHostNamespace.Components;

/// <summary>Where a body is, in metres inside the box.</summary>
public record struct Position(float X, float Y);
