using SimHost.Layout.Components;

namespace SimHost.Tests.SharedLayout.Components;

public sealed class ScalarKindTests
{
    private static readonly object[] s_kinds =
    [
        new object[] { nameof(ScalarKind.F32), (byte)1, 4, "f32", typeof(float) },
        new object[] { nameof(ScalarKind.F64), (byte)2, 8, "f64", typeof(double) },
        new object[] { nameof(ScalarKind.I8), (byte)3, 1, "i8", typeof(sbyte) },
        new object[] { nameof(ScalarKind.U8), (byte)4, 1, "u8", typeof(byte) },
        new object[] { nameof(ScalarKind.I16), (byte)5, 2, "i16", typeof(short) },
        new object[] { nameof(ScalarKind.U16), (byte)6, 2, "u16", typeof(ushort) },
        new object[] { nameof(ScalarKind.I32), (byte)7, 4, "i32", typeof(int) },
        new object[] { nameof(ScalarKind.U32), (byte)8, 4, "u32", typeof(uint) },
        new object[] { nameof(ScalarKind.I64), (byte)9, 8, "i64", typeof(long) },
        new object[] { nameof(ScalarKind.U64), (byte)10, 8, "u64", typeof(ulong) },
        new object[] { nameof(ScalarKind.Bool), (byte)11, 1, "bool", typeof(bool) },
    ];

    // The kind travels by name: ScalarKind is internal, and a public test method cannot take it as a parameter.
    [TestCaseSource(nameof(s_kinds))]
    public void Kind_HasPinnedWireValueSizeNameAndClrType(string kindName, byte wireValue, int sizeBytes, string wireName, Type clrType)
    {
        var kind = Enum.Parse<ScalarKind>(kindName);
        Assert.That((byte)kind, Is.EqualTo(wireValue), "wire values must never change");
        Assert.That(kind.SizeBytes(), Is.EqualTo(sizeBytes));
        Assert.That(kind.WireName(), Is.EqualTo(wireName));
        Assert.That(kind.IsDefined(), Is.True);
        Assert.That(ScalarKindExtensions.TryParseWireName(wireName, out ScalarKind parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(kind));
        Assert.That(ScalarKindExtensions.TryGetScalarKind(clrType, out ScalarKind mapped), Is.True);
        Assert.That(mapped, Is.EqualTo(kind));
    }

    [TestCase((byte)0)]
    [TestCase((byte)12)]
    [TestCase((byte)255)]
    public void UndefinedKind_IsRejected(byte value)
    {
        var kind = (ScalarKind)value;

        Assert.That(kind.IsDefined(), Is.False);
        Assert.That(() => kind.SizeBytes(), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => kind.WireName(), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase("F32")]
    [TestCase("float")]
    [TestCase("")]
    public void TryParseWireName_RejectsUnknownNames(string name)
    {
        Assert.That(ScalarKindExtensions.TryParseWireName(name, out _), Is.False);
    }

    [TestCase(typeof(char))]
    [TestCase(typeof(decimal))]
    [TestCase(typeof(nint))]
    [TestCase(typeof(nuint))]
    [TestCase(typeof(string))]
    [TestCase(typeof(Vec3))]
    public void TryGetScalarKind_HasNoKindForNonScalars(Type type)
    {
        Assert.That(ScalarKindExtensions.TryGetScalarKind(type, out _), Is.False);
    }

    [Test]
    public void TryGetScalarKind_MapsEnumsToTheirUnderlyingKind()
    {
        Assert.That(ScalarKindExtensions.TryGetScalarKind(typeof(Team), out ScalarKind team), Is.True);
        Assert.That(team, Is.EqualTo(ScalarKind.U8));
        Assert.That(ScalarKindExtensions.TryGetScalarKind(typeof(Big), out ScalarKind big), Is.True);
        Assert.That(big, Is.EqualTo(ScalarKind.I64));
    }
}
