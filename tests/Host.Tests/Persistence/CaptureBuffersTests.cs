using SimHost.Host.Ecs;
using SimHost.Host.Modules;
using SimHost.Host.Persistence;

namespace SimHost.Tests.Host.Persistence;

/// <summary>
/// A run's checkpoints copy the world into the arrays of the previous capture (so the frame thread does not fault in
/// a fresh world-sized copy each time); what they write must be exactly what a capture into new arrays writes, after
/// the world has changed, grown and shrunk between captures.
/// </summary>
public sealed class CaptureBuffersTests
{
    [Test]
    public void CapturesIntoReusedBuffers_WriteTheSameBytes_AsCapturesIntoNewArrays()
    {
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 7, entities: 300));
        var buffers = new CaptureBuffers();
        Assert.That(Written(world, buffers), Is.EqualTo(Written(world, null)), "first capture");

        // Changed values, fewer rows in one archetype, more in another: the reused arrays hold stale bytes past the end.
        for (var i = 0; i < 300; i += 3)
        {
            world.Destroy(new Entity(i, 1));
        }

        world.Add(new Entity(1, 1), new ChurnModule.Seen(9));
        Assert.That(Written(world, buffers), Is.EqualTo(Written(world, null)), "after destroys");

        module.Seed(world, ModuleContext.For(module, seed: 8, entities: 500));
        Assert.That(Written(world, buffers), Is.EqualTo(Written(world, null)), "after growth");
    }

    [Test]
    public void CaptureOfAnUnchangedStructure_SkipsTheEntityCopies_AndWritesWhatAFullCopyWrites()
    {
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 3, entities: 400));
        world.Destroy(new Entity(5, 1));
        var buffers = new CaptureBuffers();
        Written(world, buffers);

        // Values and ticks change, the structure does not: the entity columns and table come from the previous capture.
        foreach (var archetype in world.Archetypes)
        {
            if (archetype.Has<ChurnModule.Energy>())
            {
                archetype.GetSpan<ChurnModule.Energy>().Fill(new ChurnModule.Energy(33));
                archetype.MarkChanged(ComponentType.Of<ChurnModule.Energy>().Id, 0, archetype.Count);
            }
        }

        Assert.That(Written(world, buffers), Is.EqualTo(Written(world, null)), "values changed");
        world.Destroy(new Entity(6, 1));
        world.Create(new ChurnModule.Energy(1));
        Assert.That(Written(world, buffers), Is.EqualTo(Written(world, null)), "structure changed");
    }

    [Test]
    public void ColumnStampedWhole_IsCapturedAsOneTick_AndWritesTheTicksItsRowsWouldHave()
    {
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 2, entities: 333));
        var energy = ComponentType.Of<ChurnModule.Energy>().Id;
        var archetype = world.Archetypes.ToArray().Single(a => a.Has(energy));
        world.AdvanceTick();
        archetype.GetColumn(energy).DeferStampAllRows(archetype.Count, world.ChangeTick);

        var image = world.CaptureImage(new CaptureBuffers());
        var deferred = Written(world, new CaptureBuffers());
        var uniform = image.Archetypes[archetype.Id].UniformChangedTicks![0];
        _ = archetype.GetChangedTicks(energy);
        var applied = Written(world, new CaptureBuffers());

        Assert.That(uniform, Is.EqualTo(world.ChangeTick), "the capture recorded the one tick instead of copying");
        Assert.That(deferred, Is.EqualTo(applied), "the same file as after applying the stamp");
    }

    [Test]
    public void PreparedWriter_WritesNothing_AndItsFirstCaptureReusesTheArrays_WithTheSameBytes()
    {
        var world = new World();
        var module = new ChurnModule();
        module.Seed(world, ModuleContext.For(module, seed: 5, entities: 20_000));
        var folder = Path.Combine(Path.GetTempPath(), $"simhost-prepare-{Guid.NewGuid():N}");
        try
        {
            var writer = new BackgroundCheckpointWriter(new CheckpointStore(folder, 1));
            writer.Prepare(() => world.CaptureImage(writer.Buffers));
            Assert.That(Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder) : [], Is.Empty, "Prepare writes nothing");

            // A capture into fresh arrays allocates at least the world's columns; one into prepared arrays only the image's small objects.
            var fresh = AllocatedBy(() => world.CaptureImage(new CaptureBuffers()));
            var prepared = AllocatedBy(() => world.CaptureImage(writer.Buffers));
            Assert.That(prepared, Is.LessThan(fresh / 10), $"the first capture after Prepare allocated {prepared} bytes; into new arrays {fresh}");
            Assert.That(Written(world, writer.Buffers), Is.EqualTo(Written(world, null)));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Test]
    public void Take_ReturnsThePreviousArray_WhenItIsLargeEnough()
    {
        var buffers = new CaptureBuffers();
        var first = buffers.Take(0, 1, 1000);
        var smaller = buffers.Take(0, 1, 600);
        var larger = buffers.Take(0, 1, 4000);
        Assert.Multiple(() =>
        {
            Assert.That(smaller.Length, Is.EqualTo(600));
            Assert.That(Same(first, smaller), Is.True, "a smaller request reuses the array");
            Assert.That(larger.Length, Is.EqualTo(4000));
            Assert.That(Same(first, larger), Is.False, "a larger request than the array holds gets a new one");
            Assert.That(Same(buffers.Take(1, 1, 600), first), Is.False, "another archetype has its own array");
        });
    }

    private static bool Same(Memory<byte> a, Memory<byte> b) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(a, out var x)
        && System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(b, out var y)
        && ReferenceEquals(x.Array, y.Array);

    private static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static byte[] Written(World world, CaptureBuffers? buffers)
    {
        using var stream = new MemoryStream();
        CheckpointFiles.WriteStream(new CheckpointContent(world.CaptureImage(buffers), null, new Dictionary<string, string>()), stream);
        return stream.ToArray();
    }
}
