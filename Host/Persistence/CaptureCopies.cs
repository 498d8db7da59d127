using System.Runtime.InteropServices;
using SimHost.Host.Ecs;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Persistence;

/// <summary>
/// The block copies of one capture (<see cref="World.CaptureImage"/>), cut into pieces of at most a mebibyte and run
/// on the world's query threads: the frame thread pays the copy of the world's columns, so it shares it with the
/// threads that are idle between frames. Copies use streaming stores (<see cref="StreamingStores.Copy"/>): the copy is
/// read again only by the writer, later, so cached stores would first read every destination line and evict the
/// columns the next frame reads.
/// </summary>
internal sealed class CaptureCopies : IQueryWork
{
    private const int PieceBytes = 1 << 20;

    private readonly List<Copy> _copies = [];
    private readonly List<(int Copy, int Offset, int Length)> _pieces = [];

    /// <summary>Copies the first <paramref name="rows"/> values of <paramref name="column"/> into <paramref name="target"/>.</summary>
    public void AddValues(Column column, int rows, Memory<byte> target) => Add(new Copy(column, null, false, rows, target));

    /// <summary>Copies the first <paramref name="rows"/> changed ticks of <paramref name="column"/>; its deferred stamp must be applied already.</summary>
    public void AddTicks(Column column, int rows, Memory<byte> target) => Add(new Copy(column, null, true, rows, target));

    /// <summary>Copies the first <paramref name="rows"/> entities of <paramref name="archetype"/>.</summary>
    public void AddEntities(Archetype archetype, int rows, Memory<byte> target) => Add(new Copy(null, archetype, false, rows, target));

    /// <summary>Runs every copy, on <paramref name="threads"/>.</summary>
    public void Run(QueryThreads threads) => threads.Run(this, _pieces.Count);

    public void RunPiece(int piece)
    {
        var (index, offset, length) = _pieces[piece];
        var copy = _copies[index];
        StreamingStores.Copy(Source(copy).Slice(offset, length), copy.Target.Span.Slice(offset, length));
    }

    private static ReadOnlySpan<byte> Source(Copy copy) => copy switch
    {
        { EntitiesOf: { } archetype } => MemoryMarshal.AsBytes(archetype.EntitySpan[..copy.Rows]),
        { IsTicks: true } => MemoryMarshal.AsBytes(copy.Column!.ChangedTicks[..copy.Rows]),
        _ => copy.Column!.AsBytes(copy.Rows),
    };

    private void Add(Copy copy)
    {
        var length = Source(copy).Length;
        if (length != copy.Target.Length)
        {
            throw new InvalidOperationException($"A capture copy of {length} bytes was given {copy.Target.Length} bytes.");
        }

        _copies.Add(copy);
        for (var offset = 0; offset < length; offset += PieceBytes)
        {
            _pieces.Add((_copies.Count - 1, offset, Math.Min(PieceBytes, length - offset)));
        }
    }

    private readonly record struct Copy(Column? Column, Archetype? EntitiesOf, bool IsTicks, int Rows, Memory<byte> Target);
}
