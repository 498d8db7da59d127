using System.Globalization;
using SimHost.Layout.Segments;

namespace SimHost.Tests.SegmentProbe;

/// <summary>
/// Opens a segment in a separate process, as a worker would, and prints what it sees:
/// <c>rows=N frame=F seq=S columns=C checksum=XXXXXXXXXXXXXXXX</c>. With <c>--mark</c> it also sets the changed
/// bit of every used row in every column and increments the job sequence, to prove writes reach the host.
/// Exit codes: 0 valid, 2 rejected (the one-line error on stderr), 64 bad arguments.
/// </summary>
internal static class Program
{
    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private static int Main(string[] args)
    {
        if (args.Length is < 1 or > 2 || (args.Length == 2 && args[1] != "--mark"))
        {
            Console.Error.WriteLine("usage: SegmentProbe <segment-path> [--mark]");
            return 64;
        }

        try
        {
            using var segment = SharedSegment.Open(args[0]);
            int rows = segment.RowCount;
            if (args.Length == 2)
            {
                Mark(segment, rows);
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"rows={rows} frame={segment.FrameId} seq={segment.JobSequence} columns={segment.ColumnCount} checksum={Checksum(segment, rows):X16}"));
            return 0;
        }
        catch (SegmentFormatException ex)
        {
            Console.Error.WriteLine($"{ex.Error}: {ex.Message}");
            return 2;
        }
    }

    // FNV-1a 64 over the used entity handles, then each column's used bytes, in table order.
    private static ulong Checksum(SharedSegment segment, int rows)
    {
        ulong hash = FnvOffsetBasis;
        foreach (ulong handle in segment.EntityHandles[..rows])
        {
            for (int i = 0; i < sizeof(ulong); i++)
            {
                hash = (hash ^ (byte)(handle >> (8 * i))) * FnvPrime;
            }
        }

        for (int c = 0; c < segment.ColumnCount; c++)
        {
            foreach (byte b in segment.ColumnBytes(c)[..(rows * segment.Plan.Columns[c].ElementSizeBytes)])
            {
                hash = (hash ^ b) * FnvPrime;
            }
        }

        return hash;
    }

    private static void Mark(SharedSegment segment, int rows)
    {
        for (int c = 0; c < segment.ColumnCount; c++)
        {
            var words = segment.ChangedWords(c);
            for (int row = 0; row < rows; row++)
            {
                words[row / 64] |= 1UL << (row % 64);
            }
        }

        segment.JobSequence++;
    }
}
