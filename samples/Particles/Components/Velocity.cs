namespace SimHost.Physics.Components;

/// <summary>How fast a particle moves, in metres per second; the same shape as <see cref="Position"/>.</summary>
public struct Velocity
{
    /// <summary>The x component.</summary>
    public float X;

    /// <summary>The y component (up).</summary>
    public float Y;

    /// <summary>The z component.</summary>
    public float Z;

    /// <summary>Creates a velocity.</summary>
    public Velocity(float x, float y, float z) => (X, Y, Z) = (x, y, z);
}
