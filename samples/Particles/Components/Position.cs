namespace SimHost.Physics.Components;

/// <summary>Where a particle is, in metres; three floats so that a column of them is a plain float stream.</summary>
public struct Position
{
    /// <summary>The x coordinate.</summary>
    public float X;

    /// <summary>The y coordinate (up).</summary>
    public float Y;

    /// <summary>The z coordinate.</summary>
    public float Z;

    /// <summary>Creates a position.</summary>
    public Position(float x, float y, float z) => (X, Y, Z) = (x, y, z);
}
