using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Test fixtures: structs exist only to be measured, so their fields are never read or written.
#pragma warning disable CS0169, CS0649, CA1051, CA1823, IDE0044, IDE0051

namespace SimHost.Tests.SharedLayout.Components;

public struct AllScalars
{
    public float F32;
    public double F64;
    public sbyte I8;
    public byte U8;
    public short I16;
    public ushort U16;
    public int I32;
    public uint U32;
    public long I64;
    public ulong U64;
    public bool Bool;
}

[StructLayout(LayoutKind.Sequential)]
public struct Vec3
{
    public float X;
    public float Y;
    public float Z;
}

[StructLayout(LayoutKind.Sequential)]
public struct Body
{
    public Vec3 Position;
    public Vec3 Velocity;
    public float Mass;
}

[StructLayout(LayoutKind.Sequential)]
public struct Rigid
{
    public byte Flags;
    public Body Body;
    public double Age;
}

[StructLayout(LayoutKind.Sequential)]
public struct Padded
{
    public byte A;
    public int B;
    public byte C;
    public long D;
    public bool E;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct ExplicitLayout
{
    [FieldOffset(16)]
    public double Last;

    [FieldOffset(0)]
    public int First;

    [FieldOffset(6)]
    public short Middle;

    [FieldOffset(4)]
    public bool Flag;
}

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct Packed
{
    public byte A;
    public int B;
    public short C;
    public long D;
}

[StructLayout(LayoutKind.Auto)]
public struct AutoLayout
{
    public byte A;
    public long B;
    public byte C;
    public int D;
}

public struct BoolThenInt
{
    public bool Flag;
    public int Value;
}

public struct Tag
{
}

public enum Team : byte
{
    Red,
    Blue,
}

public enum Big : long
{
    Small,
}

public struct WithEnums
{
    public Team Team;
    public Big Big;
}

public struct WithPrivate
{
    private int _hidden;
    public float Visible;
}

public struct WithProperty
{
    public int Health { get; set; }
}

public unsafe struct WithFixedBuffer
{
    public int Count;
    public fixed short Samples[3];
}

[InlineArray(4)]
public struct Float4
{
    private float _element;
}

public struct WithInlineArray
{
    public byte Kind;
    public Float4 Weights;
}

public struct Generic<T>
    where T : unmanaged
{
    public T Value;
}

[StructLayout(LayoutKind.Explicit)]
public struct Union
{
    [FieldOffset(0)]
    public int AsInt;

    [FieldOffset(0)]
    public float AsFloat;
}

public struct WithChar
{
    public char Letter;
}

public struct Named
{
    public int Id;
    public char Name;
}

public struct NestedChar
{
    public int Id;
    public Named Body;
}

public struct WithDecimal
{
    public decimal Money;
}

public struct WithNint
{
    public nint Handle;
}

public struct WithNuint
{
    public nuint Handle;
}

public unsafe struct WithPointer
{
    public int* Target;
}

public unsafe struct WithFixedChars
{
    public fixed char Name[4];
}

public struct WithString
{
    public string Text;
}

public struct WithObject
{
    public object Boxed;
}

public struct TwoBools
{
    public bool A;
    public bool B;
    public byte C;
}
