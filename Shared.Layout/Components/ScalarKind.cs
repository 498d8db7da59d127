namespace SimHost.Layout.Components;

/// <summary>
/// The scalar type of one component field column. The numeric values are written into segment headers and pipe
/// messages, so they are fixed forever: append new kinds, never renumber. Zero is deliberately unused so that a
/// zero-filled column table is recognised as invalid rather than read as <see cref="F32"/>.
/// </summary>
#pragma warning disable CA1008 // Zero stays unassigned on purpose: a zeroed header must not decode as a valid kind.
internal enum ScalarKind : byte
#pragma warning restore CA1008
{
    /// <summary>IEEE 754 32-bit float (<see cref="float"/>), wire name <c>f32</c>.</summary>
    F32 = 1,

    /// <summary>IEEE 754 64-bit float (<see cref="double"/>), wire name <c>f64</c>.</summary>
    F64 = 2,

    /// <summary>Signed 8-bit integer (<see cref="sbyte"/>), wire name <c>i8</c>.</summary>
    I8 = 3,

    /// <summary>Unsigned 8-bit integer (<see cref="byte"/>), wire name <c>u8</c>.</summary>
    U8 = 4,

    /// <summary>Signed 16-bit integer (<see cref="short"/>), wire name <c>i16</c>.</summary>
    I16 = 5,

    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>), wire name <c>u16</c>.</summary>
    U16 = 6,

    /// <summary>Signed 32-bit integer (<see cref="int"/>), wire name <c>i32</c>.</summary>
    I32 = 7,

    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>), wire name <c>u32</c>.</summary>
    U32 = 8,

    /// <summary>Signed 64-bit integer (<see cref="long"/>), wire name <c>i64</c>.</summary>
    I64 = 9,

    /// <summary>Unsigned 64-bit integer (<see cref="ulong"/>), wire name <c>u64</c>.</summary>
    U64 = 10,

    /// <summary>One-byte boolean (<see cref="bool"/>, .NET's managed size, not the 4-byte marshalled one), wire name <c>bool</c>.</summary>
    Bool = 11,
}
