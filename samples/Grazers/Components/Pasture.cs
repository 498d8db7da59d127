namespace Grazers.Components;

/// <summary>A one-metre cell of the field: the grass on it and how fast it grows back.</summary>
public struct Pasture
{
    /// <summary>Grass on the cell, from 0 to the capacity.</summary>
    public float Grass;

    /// <summary>Growth per second in full sun, a property of the soil.</summary>
    public float Fertility;

    /// <summary>Creates a cell.</summary>
    public Pasture(float grass, float fertility) => (Grass, Fertility) = (grass, fertility);
}
