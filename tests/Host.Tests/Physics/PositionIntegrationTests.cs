using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Tests.Host.Physics;

public sealed class PositionIntegrationTests
{
    private const float Dt = 1f / 64f;

    private static (Position[] Positions, Velocity[] Velocities) Particles(int count, int seed) =>
        RandomParticles.Create(count, seed, maxSpeed: 40f);

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(64)]
    [TestCase(1000)]
    [TestCase(4099)]
    public void Run_MatchesThePlainScalarLoop_BitForBit(int count)
    {
        var (positions, velocities) = Particles(count, seed: count);
        var expected = new Position[count];
        for (var i = 0; i < count; i++)
        {
            var (p, v) = (positions[i], velocities[i]);
            expected[i] = new Position(p.X + (v.X * Dt), p.Y + (v.Y * Dt), p.Z + (v.Z * Dt));
        }

        var target = new Position[count];
        var words = new ulong[(count + 63) / 64];
        var changed = PositionIntegration.Run(positions, velocities, target, words, Dt);

        Assert.That(target, Is.EqualTo(expected));
        Assert.That(changed, Is.EqualTo(count), "every random particle moves");
    }

    [Test]
    public void Run_InPlace_GivesTheSameAsOutOfPlace()
    {
        var (positions, velocities) = Particles(333, seed: 9);
        var outOfPlace = new Position[positions.Length];
        PositionIntegration.Run(positions, velocities, outOfPlace, new ulong[6], Dt);

        PositionIntegration.Run(positions, velocities, positions, new ulong[6], Dt);

        Assert.That(positions, Is.EqualTo(outOfPlace));
    }

    [Test]
    public void Run_FlagsOnlyTheRowsWhosePositionChanged()
    {
        const int Count = 200;
        var positions = new Position[Count];
        var velocities = new Velocity[Count];
        var moving = new HashSet<int> { 0, 5, 15, 16, 63, 64, 65, 127, 128, 199 };
        for (var i = 0; i < Count; i++)
        {
            positions[i] = new Position(i, 2 * i, 3 * i);

            // One axis at a time, so a lane fold that drops an axis is caught.
            velocities[i] = moving.Contains(i) ? new Velocity(i % 3 == 0 ? 1f : 0f, i % 3 == 1 ? 1f : 0f, i % 3 == 2 ? 1f : 0f) : default;
        }

        var words = new ulong[4];
        var changed = PositionIntegration.Run(positions, velocities, new Position[Count], words, Dt);

        var flagged = Enumerable.Range(0, Count).Where(row => (words[row >> 6] & (1UL << (row & 63))) != 0);
        Assert.That(flagged, Is.EquivalentTo(moving));
        Assert.That(changed, Is.EqualTo(moving.Count));
    }

    [Test]
    public void Run_KeepsBitsAlreadySet()
    {
        var words = new ulong[] { 1UL << 40 };
        PositionIntegration.Run(new Position[10], new Velocity[10], new Position[10], words, Dt);

        Assert.That(words[0], Is.EqualTo(1UL << 40), "integration only sets bits; a still row keeps what others flagged");
    }

    [Test]
    public void Run_RejectsMismatchedLengths()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => PositionIntegration.Run(new Position[10], new Velocity[9], new Position[10], new ulong[1], Dt));
        Assert.That(exception!.Message, Does.Contain("10 positions but 9 velocities"));
        Assert.Throws<ArgumentException>(() => PositionIntegration.Run(new Position[65], new Velocity[65], new Position[65], new ulong[1], Dt));
    }
}
