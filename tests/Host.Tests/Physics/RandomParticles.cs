using SimHost.Physics.Components;

namespace SimHost.Tests.Host.Physics;

/// <summary>Seeded particles inside a 100 m box for the kernel tests.</summary>
internal static class RandomParticles
{
    /// <summary><paramref name="count"/> particles from <paramref name="seed"/>, each velocity axis within ±<paramref name="maxSpeed"/>/2.</summary>
    public static (Position[] Positions, Velocity[] Velocities) Create(int count, int seed, float maxSpeed)
    {
        var random = new Random(seed);
        var positions = new Position[count];
        var velocities = new Velocity[count];
        for (var i = 0; i < count; i++)
        {
            positions[i] = new Position(random.NextSingle() * 100f, random.NextSingle() * 100f, random.NextSingle() * 100f);
            velocities[i] = new Velocity((random.NextSingle() - 0.5f) * maxSpeed, (random.NextSingle() - 0.5f) * maxSpeed, (random.NextSingle() - 0.5f) * maxSpeed);
        }

        return (positions, velocities);
    }
}
