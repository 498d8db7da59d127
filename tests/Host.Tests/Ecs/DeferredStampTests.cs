using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>A commit's change ticks may be stamped later, but no reader ever sees them late.</summary>
public sealed class DeferredStampTests
{
    private static Column<int> ColumnWithTicks(int rows, uint tick)
    {
        var column = new Column<int>(rows);
        column.MarkChanged(0, rows, tick);
        return column;
    }

    [Test]
    public void DeferredStamp_IsSeenByTheNextReadOfTheTicks()
    {
        var column = ColumnWithTicks(200, tick: 3);
        var words = new ulong[4];
        words[0] = 0b1011;
        words[2] = 1UL << 63;

        column.DeferStamp(words, rows: 200, tick: 9);
        words[0] = ulong.MaxValue; // the caller's words are reused next frame; the stamp must have its own copy

        var expected = Enumerable.Repeat(3u, 200).ToArray();
        expected[0] = expected[1] = expected[3] = expected[191] = 9;
        Assert.That(column.ChangedTicks[..200].ToArray(), Is.EqualTo(expected));
        Assert.That(column.LastChangedTick, Is.EqualTo(9u));
    }

    [Test]
    public void LastChangedTick_MovesAtOnce_SoChangeFiltersDoNotSkipTheArchetype()
    {
        var column = ColumnWithTicks(64, tick: 3);

        column.DeferStamp([1UL], rows: 64, tick: 7);

        Assert.That(column.LastChangedTick, Is.EqualTo(7u));
    }

    [Test]
    public void AMovedRow_CarriesTheDeferredTick()
    {
        var column = ColumnWithTicks(128, tick: 2);
        column.DeferStamp([0UL, 1UL << 5], rows: 128, tick: 8);

        // Swap-remove of row 3: the last flagged row's value and tick move down before anything read the ticks.
        column.MoveRow(from: 69, to: 3);

        Assert.That(column.ChangedTicks[3], Is.EqualTo(8u));
    }

    [Test]
    public void ASecondDeferredStamp_AppliesTheFirstBeforeReplacingIt()
    {
        var column = ColumnWithTicks(64, tick: 1);
        column.DeferStamp([0b01UL], rows: 64, tick: 5);

        column.DeferStamp([0b10UL], rows: 64, tick: 6);

        Assert.That(column.ChangedTicks[..3].ToArray(), Is.EqualTo(new uint[] { 5, 6, 1 }));
    }

    [Test]
    public void ASecondStamp_FlaggingEveryPendingRow_ReplacesTheFirst_AndReadersSeeTheNewerTick()
    {
        var column = ColumnWithTicks(128, tick: 1);
        column.DeferStamp([0b0110UL, 1UL], rows: 128, tick: 5);

        column.DeferStamp([0b1110UL, 3UL], rows: 128, tick: 6);

        var expected = Enumerable.Repeat(1u, 128).ToArray();
        expected[1] = expected[2] = expected[3] = expected[64] = expected[65] = 6;
        Assert.That(column.ChangedTicks[..128].ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void ASecondStamp_OverFewerRows_AppliesTheFirst_SoARowBeyondItKeepsItsTick()
    {
        var column = ColumnWithTicks(128, tick: 1);
        column.DeferStamp([ulong.MaxValue, 1UL << 5], rows: 128, tick: 5);

        column.DeferStamp([ulong.MaxValue], rows: 64, tick: 6);

        Assert.That(column.ChangedTicks[63], Is.EqualTo(6u));
        Assert.That(column.ChangedTicks[69], Is.EqualTo(5u), "row 69 is flagged only by the first stamp");
    }

    [Test]
    public void ManyCoveringStamps_LeaveOnlyTheLastTick()
    {
        var column = ColumnWithTicks(64 * 16, tick: 1);
        var words = Enumerable.Repeat(ulong.MaxValue, 16).ToArray();
        for (var tick = 2u; tick < 200; tick++)
        {
            column.DeferStamp(words, rows: 64 * 16, tick);
        }

        Assert.That(column.ChangedTicks[..(64 * 16)].ToArray(), Has.All.EqualTo(199u));
        Assert.That(column.LastChangedTick, Is.EqualTo(199u));
    }

    [Test]
    public void AStampOfAllRows_IsSeenByEveryRow_AndCoversAPendingOne()
    {
        var column = ColumnWithTicks(192, tick: 1);
        column.DeferStamp([0UL, 1UL << 3, 0UL], rows: 130, tick: 4);

        column.DeferStampAllRows(130, tick: 7);

        Assert.That(column.ChangedTicks[..130].ToArray(), Has.All.EqualTo(7u));
        Assert.That(column.ChangedTicks[130..].ToArray(), Has.All.EqualTo(1u), "rows past the count are not stamped");
        Assert.That(column.LastChangedTick, Is.EqualTo(7u));
    }

    [Test]
    public void AStampOfFewerRows_AppliesThePendingOneFirst()
    {
        var column = ColumnWithTicks(128, tick: 1);
        column.DeferStampAllRows(128, tick: 4);

        column.DeferStampAllRows(64, tick: 7);

        Assert.That(column.ChangedTicks[63], Is.EqualTo(7u));
        Assert.That(column.ChangedTicks[64], Is.EqualTo(4u));
    }

    [Test]
    public void ConcurrentReaders_ApplyTheStampOnce_AndAgree()
    {
        var column = ColumnWithTicks(64 * 1024, tick: 1);
        var words = Enumerable.Repeat(ulong.MaxValue, 1024).ToArray();
        column.DeferStamp(words, rows: 64 * 1024, tick: 4);

        var seen = new uint[8][];
        Parallel.For(0, seen.Length, i => seen[i] = column.ChangedTicks.ToArray());

        Assert.That(seen, Has.All.Matches<uint[]>(ticks => ticks.Take(64 * 1024).All(static tick => tick == 4u)), "every reader saw the stamp applied in full");
    }

    [Test]
    public void AnEmptyCommit_DefersNothing()
    {
        var column = ColumnWithTicks(64, tick: 2);

        column.DeferStamp([0UL], rows: 64, tick: 9);

        Assert.That(column.LastChangedTick, Is.EqualTo(2u));
        Assert.That(column.ChangedTicks[..64].ToArray(), Has.All.EqualTo(2u));
    }
}
