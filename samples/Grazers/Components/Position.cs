namespace Grazers.Components;

/// <summary>Where an entity stands on the field, in metres from its south-west corner.</summary>
public struct Position
{
    /// <summary>Metres east.</summary>
    public float X;

    /// <summary>Metres north.</summary>
    public float Y;

    /// <summary>Creates a position.</summary>
    public Position(float x, float y) => (X, Y) = (x, y);
}
