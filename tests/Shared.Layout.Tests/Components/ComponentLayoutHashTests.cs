using SimHost.Layout.Components;

namespace SimHost.Tests.SharedLayout.Components;

public sealed class ComponentLayoutHashTests
{
    private const string Name = "MyGame.Velocity";

    // Pinned once (the description hash was also recomputed independently in Python from the documented byte
    // sequence): a change here means hosts and workers of different builds would disagree.
    private const ulong PinnedBodyHash = 0x7323_41CF_62FE_3B60UL;
    private const ulong PinnedDescriptionHash = 0xB023_1C71_5DDC_EBD5UL;

    private static readonly FieldLayout[] s_velocity =
    [
        new("X", ScalarKind.F32, 0),
        new("Y", ScalarKind.F32, 4),
        new("Z", ScalarKind.F32, 8),
    ];

    [Test]
    public void Hash_OfAFixedStructIsPinned()
    {
        Assert.That(ComponentLayout.Of<Body>().Hash, Is.EqualTo(PinnedBodyHash));
    }

    [Test]
    public void Hash_OfAFixedDescriptionIsPinned()
    {
        Assert.That(ComponentLayout.Create(Name, 12, 4, s_velocity).Hash, Is.EqualTo(PinnedDescriptionHash));
    }

    [Test]
    public void Create_FromADerivedLayoutsPartsReproducesItsHash()
    {
        ComponentLayout derived = ComponentLayout.Of<Rigid>();

        ComponentLayout rebuilt = ComponentLayout.Create(derived.Name, derived.SizeBytes, derived.AlignmentBytes, derived.Fields);

        Assert.That(rebuilt.Hash, Is.EqualTo(derived.Hash));
        Assert.That(rebuilt.ClrType, Is.Null);
    }

    [Test]
    public void Create_SortsFieldsByOffsetSoDeclarationOrderDoesNotChangeTheHash()
    {
        FieldLayout[] reversed = [s_velocity[2], s_velocity[1], s_velocity[0]];

        ComponentLayout layout = ComponentLayout.Create(Name, 12, 4, reversed);

        Assert.That(layout.Hash, Is.EqualTo(ComponentLayout.Create(Name, 12, 4, s_velocity).Hash));
        Assert.That(layout.Fields[0].Path, Is.EqualTo("X"));
    }

    [Test]
    public void Hash_ChangesWhenAFieldIsRenamed() =>
        AssertHashDiffers(Name, 12, [new("X", ScalarKind.F32, 0), new("Y", ScalarKind.F32, 4), new("W", ScalarKind.F32, 8)]);

    [Test]
    public void Hash_ChangesWhenAFieldKindChanges() =>
        AssertHashDiffers(Name, 12, [new("X", ScalarKind.F32, 0), new("Y", ScalarKind.I32, 4), new("Z", ScalarKind.F32, 8)]);

    [Test]
    public void Hash_ChangesWhenAFieldOffsetChanges() =>
        AssertHashDiffers(Name, 16, [new("X", ScalarKind.F32, 0), new("Y", ScalarKind.F32, 4), new("Z", ScalarKind.F32, 12)]);

    [Test]
    public void Hash_ChangesWhenTheSizeChanges() => AssertHashDiffers(Name, 16, s_velocity);

    [Test]
    public void Hash_ChangesWhenTheNameChanges() => AssertHashDiffers("MyGame.Acceleration", 12, s_velocity);

    [Test]
    public void Hash_DoesNotLetAdjacentPathsRunTogether()
    {
        ComponentLayout first = ComponentLayout.Create(Name, 8, 4, [new("ab", ScalarKind.F32, 0), new("c", ScalarKind.F32, 4)]);
        ComponentLayout second = ComponentLayout.Create(Name, 8, 4, [new("a", ScalarKind.F32, 0), new("bc", ScalarKind.F32, 4)]);

        Assert.That(first.Hash, Is.Not.EqualTo(second.Hash));
    }

    [Test]
    public void Hash_DiffersBetweenDifferentStructs()
    {
        Assert.That(ComponentLayout.Of<Body>().Hash, Is.Not.EqualTo(ComponentLayout.Of<Rigid>().Hash));
        Assert.That(ComponentLayout.Of<Vec3>().Hash, Is.Not.EqualTo(ComponentLayout.Of<Body>().Hash));
    }

    [TestCase(0, 1)]
    [TestCase(12, 3)]
    [TestCase(12, 16)]
    public void Create_RejectsBadSizeOrAlignment(int sizeBytes, int alignmentBytes)
    {
        Assert.That(() => ComponentLayout.Create(Name, sizeBytes, alignmentBytes, s_velocity), Throws.TypeOf<ComponentLayoutException>());
    }

    [Test]
    public void Create_RejectsAFieldPastTheEnd()
    {
        Assert.That(
            () => ComponentLayout.Create(Name, 12, 4, [new FieldLayout("X", ScalarKind.F64, 8)]),
            Throws.TypeOf<ComponentLayoutException>().With.Message.Contains("'X' at offset 8 does not fit"));
    }

    [Test]
    public void Create_RejectsRepeatedPaths()
    {
        Assert.That(
            () => ComponentLayout.Create(Name, 12, 4, [new FieldLayout("X", ScalarKind.F32, 0), new FieldLayout("X", ScalarKind.F32, 4)]),
            Throws.TypeOf<ComponentLayoutException>().With.Message.Contains("repeated field path 'X'"));
    }

    [Test]
    public void Create_RejectsUndefinedKinds()
    {
        Assert.That(
            () => ComponentLayout.Create(Name, 12, 4, [new FieldLayout("X", (ScalarKind)0, 0)]),
            Throws.TypeOf<ComponentLayoutException>().With.Message.Contains("undefined kind 0"));
    }

    [Test]
    public void Create_RejectsOverlappingFields()
    {
        Assert.That(
            () => ComponentLayout.Create(Name, 12, 4, [new FieldLayout("X", ScalarKind.F64, 0), new FieldLayout("Y", ScalarKind.F32, 4)]),
            Throws.TypeOf<ComponentLayoutException>().With.Message.Contains("overlap at byte 4"));
    }

    private static void AssertHashDiffers(string name, int sizeBytes, FieldLayout[] fields)
    {
        ulong baseline = ComponentLayout.Create(Name, 12, 4, s_velocity).Hash;
        Assert.That(ComponentLayout.Create(name, sizeBytes, 4, fields).Hash, Is.Not.EqualTo(baseline));
    }
}
