using SimHost.Host.Ecs;

namespace SimHost.Tests.Host.Ecs;

/// <summary>
/// A checkpoint load's arena places its arrays one after the other on cache-line boundaries, refuses to place past its
/// size, and gives each array's own pages back when the array leaves, all of them once none is left, without ever
/// taking the addresses away (a stale span reads zeros, never faults).
/// </summary>
[Platform("Linux", Reason = "The arena is a Linux mapping; elsewhere the load uses managed arrays.")]
public sealed unsafe class LoadArenaTests
{
    private static readonly int s_pageBytes = Environment.SystemPageSize;

    [Test]
    public void Place_PutsArraysOneAfterTheOther_OnCacheLineBoundaries_FromA2MiBBoundary()
    {
        var arena = LoadArena.TryCreate(LoadArena.SizeOf<byte>(100) + LoadArena.SizeOf<long>(3) + LoadArena.SizeOf<int>(7))!;

        var first = (long)arena.Place<byte>(100);
        var second = (long)arena.Place<long>(3);
        var third = (long)arena.Place<int>(7);

        Assert.Multiple(() =>
        {
            Assert.That(first % (2 << 20), Is.Zero, "the mapping starts on a huge page");
            Assert.That(second - first, Is.EqualTo(128L), "100 bytes take two cache lines");
            Assert.That(third - second, Is.EqualTo(64L));
            Assert.That(new Span<byte>((void*)first, 100).ToArray(), Has.All.EqualTo((byte)0), "new memory reads as zeros");
        });
    }

    [Test]
    public void Place_PastTheArenasSize_IsRefused_NamingTheSizes()
    {
        var arena = LoadArena.TryCreate(LoadArena.SizeOf<int>(16))!;
        arena.Place<int>(16);

        var error = Assert.Throws<InvalidOperationException>(() => arena.Place<int>(1));

        Assert.That(error!.Message, Does.Contain("arena of 64 bytes has no room for 64 more after 64"));
    }

    [Test]
    public void Leave_GivesBackTheArraysOwnWholePages_AndLeavesItsNeighboursBytes()
    {
        // The first array one cache line longer than five pages: the middle one starts and ends inside pages it shares.
        var rows = 5 * s_pageBytes;
        var arena = LoadArena.TryCreate(3 * LoadArena.SizeOf<byte>(rows + 64))!;
        var before = Fill(arena.Place<byte>(rows + 64), rows + 64, 1);
        var middle = Fill(arena.Place<byte>(rows), rows, 2);
        var after = Fill(arena.Place<byte>(rows), rows, 3);

        arena.Leave(middle, rows);

        Assert.Multiple(() =>
        {
            Assert.That(Read(before, rows + 64), Has.All.EqualTo((byte)1), "the array before keeps every byte");
            Assert.That(Read(after, rows), Has.All.EqualTo((byte)3), "the array after keeps every byte");
            Assert.That(Read(middle, rows)[s_pageBytes..(4 * s_pageBytes)], Has.All.EqualTo((byte)0), "the pages only the leaving array used are given back (zeros)");
        });
    }

    [Test]
    public void Leave_OfTheLastArray_GivesBackEveryPage_AndPlacesNoMore()
    {
        var arena = LoadArena.TryCreate(2 * LoadArena.SizeOf<byte>(s_pageBytes))!;
        var first = Fill(arena.Place<byte>(s_pageBytes), s_pageBytes, 7);
        var second = Fill(arena.Place<byte>(s_pageBytes), s_pageBytes, 8);

        arena.Leave(first, s_pageBytes);
        arena.Leave(second, s_pageBytes);

        Assert.Multiple(() =>
        {
            Assert.That(Read(first, s_pageBytes), Has.All.EqualTo((byte)0), "emptied, still mapped");
            Assert.That(Read(second, s_pageBytes), Has.All.EqualTo((byte)0));
            Assert.That(() => arena.Place<byte>(1), Throws.InvalidOperationException, "an emptied arena is done");
        });
    }

    [Test]
    public void TryCreate_OfNothing_GivesNoArena()
    {
        Assert.That(LoadArena.TryCreate(0), Is.Null);
    }

    private static byte* Fill(byte* at, int length, byte value)
    {
        new Span<byte>(at, length).Fill(value);
        return at;
    }

    private static byte[] Read(byte* at, int length) => new Span<byte>(at, length).ToArray();
}
