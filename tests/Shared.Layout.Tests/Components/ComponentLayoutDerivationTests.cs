using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimHost.Layout.Components;

// Expected field lists are inline arrays on purpose: each assertion runs once and reads best next to its struct.
#pragma warning disable CA1861

namespace SimHost.Tests.SharedLayout.Components;

public sealed class ComponentLayoutDerivationTests
{
    [Test]
    public void Of_DerivesEveryScalarKindAtItsSequentialOffset()
    {
        ComponentLayout layout = ComponentLayout.Of<AllScalars>();

        Assert.That(Describe(layout), Is.EqualTo(new[]
        {
            "F32: f32 @ 0", "F64: f64 @ 8", "I8: i8 @ 16", "U8: u8 @ 17", "I16: i16 @ 18", "U16: u16 @ 20",
            "I32: i32 @ 24", "U32: u32 @ 28", "I64: i64 @ 32", "U64: u64 @ 40", "Bool: bool @ 48",
        }));
        Assert.That(layout.SizeBytes, Is.EqualTo(Unsafe.SizeOf<AllScalars>()));
        Assert.That(layout.SizeBytes, Is.EqualTo(56));
        Assert.That(layout.AlignmentBytes, Is.EqualTo(8));
        Assert.That(layout.Name, Is.EqualTo("SimHost.Tests.SharedLayout.Components.AllScalars"));
        Assert.That(layout.ClrType, Is.EqualTo(typeof(AllScalars)));
    }

    [Test]
    public void Of_FlattensNestedStructsToDottedPathsWithAbsoluteOffsets()
    {
        ComponentLayout layout = ComponentLayout.Of<Rigid>();

        Assert.That(Describe(layout), Is.EqualTo(new[]
        {
            "Flags: u8 @ 0",
            "Body.Position.X: f32 @ 4", "Body.Position.Y: f32 @ 8", "Body.Position.Z: f32 @ 12",
            "Body.Velocity.X: f32 @ 16", "Body.Velocity.Y: f32 @ 20", "Body.Velocity.Z: f32 @ 24",
            "Body.Mass: f32 @ 28",
            "Age: f64 @ 32",
        }));
        Assert.That(layout.SizeBytes, Is.EqualTo(40));
        Assert.That(layout.AlignmentBytes, Is.EqualTo(8));
    }

    [Test]
    public void Of_MeasuresSequentialPaddingGaps()
    {
        ComponentLayout layout = ComponentLayout.Of<Padded>();

        Assert.That(Describe(layout), Is.EqualTo(new[] { "A: u8 @ 0", "B: i32 @ 4", "C: u8 @ 8", "D: i64 @ 16", "E: bool @ 24" }));
        Assert.That(layout.SizeBytes, Is.EqualTo(32));
    }

    [Test]
    public void Of_UsesExplicitFieldOffsetsAndSortsFieldsByOffset()
    {
        ComponentLayout layout = ComponentLayout.Of<ExplicitLayout>();

        Assert.That(Describe(layout), Is.EqualTo(new[] { "First: i32 @ 0", "Flag: bool @ 4", "Middle: i16 @ 6", "Last: f64 @ 16" }));
        Assert.That(layout.SizeBytes, Is.EqualTo(24));
    }

    [Test]
    public void Of_HonoursPackOne()
    {
        ComponentLayout layout = ComponentLayout.Of<Packed>();

        Assert.That(Describe(layout), Is.EqualTo(new[] { "A: u8 @ 0", "B: i32 @ 1", "C: i16 @ 5", "D: i64 @ 7" }));
        Assert.That(layout.SizeBytes, Is.EqualTo(15));
        Assert.That(layout.AlignmentBytes, Is.EqualTo(1));
    }

    [Test]
    public void Of_MeasuresManagedBoolSizeWhereMarshalWouldReportFourBytes()
    {
        ComponentLayout layout = ComponentLayout.Of<TwoBools>();

        Assert.That(Describe(layout), Is.EqualTo(new[] { "A: bool @ 0", "B: bool @ 1", "C: u8 @ 2" }));
        Assert.That(layout.SizeBytes, Is.EqualTo(3));
        Assert.That(Marshal.OffsetOf<TwoBools>(nameof(TwoBools.B)).ToInt32(), Is.EqualTo(4), "the marshalled layout is the wrong source");
    }

    [Test]
    public void Of_MeasuresAutoLayoutAsTheRuntimeChoseIt()
    {
        ComponentLayout layout = ComponentLayout.Of<AutoLayout>();
        var value = new AutoLayout();
        ref byte start = ref Unsafe.As<AutoLayout, byte>(ref value);

        Assert.That(Offset(layout, "A"), Is.EqualTo((int)Unsafe.ByteOffset(ref start, ref value.A)));
        Assert.That(Offset(layout, "B"), Is.EqualTo((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<long, byte>(ref value.B))));
        Assert.That(Offset(layout, "C"), Is.EqualTo((int)Unsafe.ByteOffset(ref start, ref value.C)));
        Assert.That(Offset(layout, "D"), Is.EqualTo((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<int, byte>(ref value.D))));
        Assert.That(layout.SizeBytes, Is.EqualTo(Unsafe.SizeOf<AutoLayout>()));
    }

    [Test]
    public void Of_AllowsATagComponentWithNoFieldsAndSizeOne()
    {
        ComponentLayout layout = ComponentLayout.Of<Tag>();

        Assert.That(layout.Fields, Is.Empty);
        Assert.That(layout.SizeBytes, Is.EqualTo(1));
        Assert.That(layout.AlignmentBytes, Is.EqualTo(1));
    }

    [Test]
    public void Of_MapsEnumsToTheirUnderlyingIntegerKind()
    {
        Assert.That(Describe(ComponentLayout.Of<WithEnums>()), Is.EqualTo(new[] { "Team: u8 @ 0", "Big: i64 @ 8" }));
    }

    [Test]
    public void Of_IncludesPrivateFields()
    {
        Assert.That(Describe(ComponentLayout.Of<WithPrivate>()), Is.EqualTo(new[] { "_hidden: i32 @ 0", "Visible: f32 @ 4" }));
    }

    [Test]
    public void Of_NamesAutoPropertyFieldsAfterTheProperty()
    {
        Assert.That(Describe(ComponentLayout.Of<WithProperty>()), Is.EqualTo(new[] { "Health: i32 @ 0" }));
    }

    [Test]
    public void Of_FlattensFixedBuffersAsIndexedPaths()
    {
        ComponentLayout layout = ComponentLayout.Of<WithFixedBuffer>();

        Assert.That(Describe(layout), Is.EqualTo(new[] { "Count: i32 @ 0", "Samples[0]: i16 @ 4", "Samples[1]: i16 @ 6", "Samples[2]: i16 @ 8" }));
        Assert.That(layout.SizeBytes, Is.EqualTo(12));
    }

    [Test]
    public void Of_FlattensInlineArraysAsIndexedPaths()
    {
        ComponentLayout layout = ComponentLayout.Of<WithInlineArray>();

        Assert.That(Describe(layout), Is.EqualTo(new[]
        {
            "Kind: u8 @ 0", "Weights[0]: f32 @ 4", "Weights[1]: f32 @ 8", "Weights[2]: f32 @ 12", "Weights[3]: f32 @ 16",
        }));
        Assert.That(layout.SizeBytes, Is.EqualTo(20));
    }

    [Test]
    public void Of_NamesGenericComponentsWithoutAssemblyVersions()
    {
        ComponentLayout layout = ComponentLayout.Of<Generic<float>>();

        Assert.That(layout.Name, Is.EqualTo("SimHost.Tests.SharedLayout.Components.Generic`1[System.Single]"));
        Assert.That(Describe(layout), Is.EqualTo(new[] { "Value: f32 @ 0" }));
    }

    [Test]
    public void Of_ReturnsTheSameCachedInstanceForGenericAndTypeCalls()
    {
        ComponentLayout first = ComponentLayout.Of<Body>();

        Assert.That(ComponentLayout.Of<Body>(), Is.SameAs(first));
#pragma warning disable CA2263 // The Type overload is the one under test.
        Assert.That(ComponentLayout.Of(typeof(Body)), Is.SameAs(first));
#pragma warning restore CA2263
    }

    [Test]
    public void Of_AfterTheFirstCallDoesNotAllocate()
    {
        ComponentLayout.Of<Vec3>();

        long before = GC.GetAllocatedBytesForCurrentThread();
        ComponentLayout layout = ComponentLayout.Of<Vec3>();
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(after - before, Is.Zero);
        Assert.That(layout.Fields, Has.Count.EqualTo(3));
    }

    [Test]
    public void Of_MatchesTheOffsetsOfEveryFieldOfABodyTakenByReference()
    {
        ComponentLayout layout = ComponentLayout.Of<Body>();
        var body = new Body();
        ref byte start = ref Unsafe.As<Body, byte>(ref body);

        Assert.That(Offset(layout, "Velocity.Y"), Is.EqualTo((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<float, byte>(ref body.Velocity.Y))));
        Assert.That(Offset(layout, "Mass"), Is.EqualTo((int)Unsafe.ByteOffset(ref start, ref Unsafe.As<float, byte>(ref body.Mass))));
    }

    internal static string[] Describe(ComponentLayout layout)
    {
        var lines = new string[layout.Fields.Count];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = layout.Fields[i].ToString();
        }

        return lines;
    }

    private static int Offset(ComponentLayout layout, string path)
    {
        foreach (FieldLayout field in layout.Fields)
        {
            if (field.Path == path)
            {
                return field.OffsetBytes;
            }
        }

        throw new AssertionException($"no field {path}");
    }
}
