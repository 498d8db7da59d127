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

    [TestCase(64 * 40, 0)]
    [TestCase(64 * 40 + 13, 0)]
    [TestCase(1000, 1)]
    public void Run_WithStreamingStores_GivesTheSameBitsAndFlags(int count, int misalignByRows)
    {
        var (positions, velocities) = Particles(count, seed: count + 1);
        velocities[5] = default; // one still row, so the flags are not trivially all set
        var expected = new Position[count];
        var expectedWords = new ulong[(count + 63) / 64];
        var expectedChanged = PositionIntegration.Run(positions, velocities, expected, expectedWords, Dt);

        var storage = GC.AllocateArray<Position>(count + 16, pinned: true);
        var target = AlignedWindow(storage, count, misalignByRows);
        var words = new ulong[(count + 63) / 64];
        var changed = PositionIntegration.Run(positions, velocities, target, words, Dt, streamingStores: true);
        var written = target.ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(expected));
            Assert.That(words, Is.EqualTo(expectedWords));
            Assert.That(changed, Is.EqualTo(expectedChanged).And.EqualTo(count - 1));
        });
    }

    [Test]
    public void Run_WithStreamingStores_InPlace_FallsBackToCachedStores()
    {
        var (positions, velocities) = Particles(700, seed: 3);
        var outOfPlace = new Position[positions.Length];
        PositionIntegration.Run(positions, velocities, outOfPlace, new ulong[11], Dt);

        PositionIntegration.Run(positions, velocities, positions, new ulong[11], Dt, streamingStores: true);

        Assert.That(positions, Is.EqualTo(outOfPlace));
    }

    // A window of a pinned array starting on a vector boundary (plus misalignByRows rows, to test the fallback).
    private static unsafe Span<Position> AlignedWindow(Position[] pinned, int count, int misalignByRows)
    {
        var vectorBytes = System.Numerics.Vector<float>.Count * sizeof(float);
        fixed (Position* start = pinned)
        {
            for (var offset = 0; offset < 16; offset++)
            {
                if ((nint)(start + offset) % vectorBytes == 0)
                {
                    return pinned.AsSpan(offset + misalignByRows, count);
                }
            }
        }

        throw new InvalidOperationException("No aligned window in the array.");
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
