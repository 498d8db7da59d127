using SimHost.Physics;
using SimHost.Physics.Components;

namespace SimHost.Tests.Host.Physics;

public sealed class ParticleStepTests
{
    private const float Dt = 1f / 64f;

    private static (Position[] Positions, Velocity[] Velocities) Particles(int count, int seed) =>
        RandomParticles.Create(count, seed, maxSpeed: 400f);

    /// <summary>The scenario's rules written out plainly, one axis at a time, as the reference.</summary>
    private static bool ReferenceStep(ref float p, ref float v, float gravityDt, float min, float max, in PhysicsParameters c)
    {
        var (oldP, oldV) = (p, v);
        v = (v + gravityDt) * c.Damping;
        p += v * Dt;
        if (p < min)
        {
            p = min + (min - p);
            v = -v * c.Restitution;
        }
        else if (p > max)
        {
            p = max - (p - max);
            v = -v * c.Restitution;
        }

        return p != oldP || v != oldV;
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(64)]
    [TestCase(1000)]
    [TestCase(4099)]
    public void Run_MatchesThePlainScalarRules_BitForBit(int count)
    {
        var c = PhysicsParameters.Default;
        var (positions, velocities) = Particles(count, seed: count);
        var expectedP = (Position[])positions.Clone();
        var expectedV = (Velocity[])velocities.Clone();
        var expectedChanged = 0;
        for (var i = 0; i < count; i++)
        {
            var changed = ReferenceStep(ref expectedP[i].X, ref expectedV[i].X, 0f, c.BoxMinX, c.BoxMaxX, c);
            changed |= ReferenceStep(ref expectedP[i].Y, ref expectedV[i].Y, c.GravityY * Dt, c.BoxMinY, c.BoxMaxY, c);
            changed |= ReferenceStep(ref expectedP[i].Z, ref expectedV[i].Z, 0f, c.BoxMinZ, c.BoxMaxZ, c);
            expectedChanged += changed ? 1 : 0;
        }

        var words = new ulong[(count + 63) / 64];
        var changedRows = ParticleStep.Run(positions, velocities, words, Dt, c);

        Assert.That(positions, Is.EqualTo(expectedP));
        Assert.That(velocities, Is.EqualTo(expectedV));
        Assert.That(changedRows, Is.EqualTo(expectedChanged));
    }

    [Test]
    public void Run_FlagsOnlyTheRowsThatChanged()
    {
        // Weightless, undamped particles at rest do not change; moving ones do.
        var still = new PhysicsParameters(0f, 1f, 1f, 0f, 0f, 0f, 100f, 100f, 100f);
        const int Count = 200;
        var positions = new Position[Count];
        var velocities = new Velocity[Count];
        var moving = new HashSet<int> { 0, 5, 63, 64, 65, 127, 128, 199 };
        for (var i = 0; i < Count; i++)
        {
            positions[i] = new Position(50f, 50f, 50f);
            velocities[i] = moving.Contains(i) ? new Velocity(1f, 0f, 0f) : default;
        }

        var words = new ulong[4];
        var changedRows = ParticleStep.Run(positions, velocities, words, Dt, still);

        var flagged = new List<int>();
        for (var row = 0; row < Count; row++)
        {
            if ((words[row >> 6] & (1UL << (row & 63))) != 0)
            {
                flagged.Add(row);
            }
        }

        Assert.That(flagged, Is.EquivalentTo(moving));
        Assert.That(changedRows, Is.EqualTo(moving.Count));
    }

    [Test]
    public void Run_OverRangesAlignedTo64_EqualsOneRunOverAll()
    {
        var c = PhysicsParameters.Default;
        var (p1, v1) = Particles(1000, seed: 3);
        var (p2, v2) = ((Position[])p1.Clone(), (Velocity[])v1.Clone());
        var whole = new ulong[16];
        var split = new ulong[16];

        ParticleStep.Run(p1, v1, whole, Dt, c);
        foreach (var (start, length) in new[] { (0, 320), (320, 64), (384, 616) })
        {
            ParticleStep.Run(p2.AsSpan(start, length), v2.AsSpan(start, length), split.AsSpan(start / 64), Dt, c);
        }

        Assert.That(p2, Is.EqualTo(p1));
        Assert.That(v2, Is.EqualTo(v1));
        Assert.That(split, Is.EqualTo(whole));
    }

    [Test]
    public void Run_KeepsEveryParticleInsideTheBox()
    {
        var c = PhysicsParameters.Default;
        var (positions, velocities) = Particles(500, seed: 9);
        var words = new ulong[8];
        for (var step = 0; step < 200; step++)
        {
            ParticleStep.Run(positions, velocities, words, Dt, c);
        }

        Assert.That(positions, Has.All.Matches<Position>(p => p.X is >= 0f and <= 100f && p.Y is >= 0f and <= 100f && p.Z is >= 0f and <= 100f));
    }

    [Test]
    public void Run_RejectsMismatchedSpans()
    {
        Assert.That(
            () => ParticleStep.Run(new Position[3], new Velocity[2], new ulong[1], Dt, PhysicsParameters.Default),
            Throws.ArgumentException.With.Message.Contains("3 positions but 2 velocities"));
    }
}
