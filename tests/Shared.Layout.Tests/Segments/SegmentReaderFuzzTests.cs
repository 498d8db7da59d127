using System.Buffers.Binary;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SharedLayout.Segments;

/// <summary>Random corruptions of a valid segment: every one is either accepted or rejected with a format error.</summary>
[TestFixture]
public sealed class SegmentReaderFuzzTests
{
    private const int Iterations = 3000;
    private const int Seed = 20251126;

    private RunDirectory _runDirectory = null!;
    private string _path = null!;
    private byte[] _valid = null!;

    [SetUp]
    public void SetUp()
    {
        _runDirectory = RunDirectory.Create();
        _path = _runDirectory.SegmentPath("fuzz.seg");
        using (SampleSegment.Create(_path, rows: 37, capacity: 70))
        {
        }

        _valid = File.ReadAllBytes(_path);
    }

    [TearDown]
    public void TearDown() => _runDirectory.Dispose();

    [Test]
    public void Reader_EitherAcceptsOrRejectsWithAFormatError_ForRandomCorruptions()
    {
        var random = new Random(Seed);
        int accepted = 0;
        int rejected = 0;
        ulong touched = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            File.WriteAllBytes(_path, Corrupt(random));
            try
            {
                using var segment = SharedSegment.Open(_path);
                touched += TouchEverything(segment);
                accepted++;
            }
            catch (SegmentFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"iteration {iteration} (seed {Seed}) escaped as {ex.GetType().Name}: {ex.Message}");
            }
        }

        // Both outcomes occur, so the corruptions reach past the first check and the valid paths stay exercised.
        Assert.That(accepted, Is.GreaterThan(0), $"touched sum {touched}");
        Assert.That(rejected, Is.GreaterThan(0));
    }

    private byte[] Corrupt(Random random)
    {
        var bytes = (byte[])_valid.Clone();
        int metadataLength = 128 + (2 * 48);
        switch (random.Next(5))
        {
            case 0:
                // Flip bits in the header and column table, where every byte matters.
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    bytes[random.Next(metadataLength)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                for (int i = random.Next(1, 8); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 2:
                return bytes[..random.Next(bytes.Length)];
            case 3:
                // Overwrite one aligned u32/u64 field with a value likely to break arithmetic.
                ulong[] nasty = [0, 1, 63, 64, 128, (ulong)bytes.Length, (ulong)bytes.Length - 64, uint.MaxValue, long.MaxValue, ulong.MaxValue];
                int field = random.Next(metadataLength / 4) * 4;
                ulong value = nasty[random.Next(nasty.Length)];
                if (random.Next(2) == 0 && field + 8 <= metadataLength)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(field), value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(field), (uint)value);
                }

                return bytes;
            default:
                return [.. bytes, .. new byte[random.Next(1, 200)]];
        }
    }

    private static ulong TouchEverything(SharedSegment segment)
    {
        ulong sum = (ulong)segment.RowCount + segment.FrameId + segment.JobSequence;
        foreach (ulong handle in segment.EntityHandles)
        {
            sum += handle;
        }

        for (int c = 0; c < segment.ColumnCount; c++)
        {
            foreach (byte b in segment.ColumnBytes(c))
            {
                sum += b;
            }

            foreach (ulong word in segment.ChangedWords(c))
            {
                sum += word;
            }
        }

        return sum;
    }
}
