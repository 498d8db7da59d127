namespace Grazers.Components;

/// <summary>An animal of the herd: the energy it has left and the way it walks.</summary>
public struct Grazer
{
    /// <summary>Spent walking, gained grazing; at zero it dies, at the birth threshold it calves.</summary>
    public float Energy;

    /// <summary>The direction it walks, in radians.</summary>
    public float Heading;

    /// <summary>Creates a grazer.</summary>
    public Grazer(float energy, float heading) => (Energy, Heading) = (energy, heading);
}
