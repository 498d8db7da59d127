namespace SimHost.Layout.Components;

/// <summary>
/// Sizes, wire names and CLR type mapping for <see cref="ScalarKind"/>.
/// </summary>
internal static class ScalarKindExtensions
{
    /// <summary>The allowed kinds as a readable list, used in every rejection message.</summary>
    internal const string AllowedKindsText = "f32, f64, i8, u8, i16, u16, i32, u32, i64, u64, bool";

    /// <summary>
    /// Returns whether <paramref name="kind"/> is one of the defined kinds (useful when it was read from the wire).
    /// </summary>
    /// <param name="kind">The kind to check.</param>
    /// <returns><see langword="true"/> for <see cref="ScalarKind.F32"/> through <see cref="ScalarKind.Bool"/>.</returns>
    public static bool IsDefined(this ScalarKind kind) => kind is >= ScalarKind.F32 and <= ScalarKind.Bool;

    /// <summary>Returns the size in bytes of one value of <paramref name="kind"/>.</summary>
    /// <param name="kind">A defined scalar kind.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined.</exception>
    public static int SizeBytes(this ScalarKind kind) => kind switch
    {
        ScalarKind.I8 or ScalarKind.U8 or ScalarKind.Bool => 1,
        ScalarKind.I16 or ScalarKind.U16 => 2,
        ScalarKind.F32 or ScalarKind.I32 or ScalarKind.U32 => 4,
        ScalarKind.F64 or ScalarKind.I64 or ScalarKind.U64 => 8,
        _ => throw UndefinedKind(kind),
    };

    /// <summary>Returns the lowercase wire name of <paramref name="kind"/>, such as <c>f32</c> or <c>bool</c>.</summary>
    /// <param name="kind">A defined scalar kind.</param>
    /// <returns>The interned wire name; no allocation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not defined.</exception>
    public static string WireName(this ScalarKind kind) => kind switch
    {
        ScalarKind.F32 => "f32",
        ScalarKind.F64 => "f64",
        ScalarKind.I8 => "i8",
        ScalarKind.U8 => "u8",
        ScalarKind.I16 => "i16",
        ScalarKind.U16 => "u16",
        ScalarKind.I32 => "i32",
        ScalarKind.U32 => "u32",
        ScalarKind.I64 => "i64",
        ScalarKind.U64 => "u64",
        ScalarKind.Bool => "bool",
        _ => throw UndefinedKind(kind),
    };

    /// <summary>Parses a lowercase wire name such as <c>f32</c> back to its kind.</summary>
    /// <param name="wireName">The name to parse; matching is exact and case-sensitive.</param>
    /// <param name="kind">The parsed kind, or <see langword="default"/> when the name is unknown.</param>
    /// <returns><see langword="true"/> when <paramref name="wireName"/> names a kind.</returns>
    public static bool TryParseWireName(ReadOnlySpan<char> wireName, out ScalarKind kind)
    {
        kind = wireName switch
        {
            "f32" => ScalarKind.F32,
            "f64" => ScalarKind.F64,
            "i8" => ScalarKind.I8,
            "u8" => ScalarKind.U8,
            "i16" => ScalarKind.I16,
            "u16" => ScalarKind.U16,
            "i32" => ScalarKind.I32,
            "u32" => ScalarKind.U32,
            "i64" => ScalarKind.I64,
            "u64" => ScalarKind.U64,
            "bool" => ScalarKind.Bool,
            _ => default,
        };
        return kind != default;
    }

    /// <summary>
    /// Maps a CLR field type to its kind. Enums map to their underlying integer kind; every other type
    /// (char, decimal, nint, pointers, references, structs) has no kind.
    /// </summary>
    /// <param name="type">The field type.</param>
    /// <param name="kind">The matching kind when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="type"/> is stored as a single scalar.</returns>
    public static bool TryGetScalarKind(Type type, out ScalarKind kind)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsEnum)
        {
            type = Enum.GetUnderlyingType(type);
        }

        kind = Type.GetTypeCode(type) switch
        {
            TypeCode.Single => ScalarKind.F32,
            TypeCode.Double => ScalarKind.F64,
            TypeCode.SByte => ScalarKind.I8,
            TypeCode.Byte => ScalarKind.U8,
            TypeCode.Int16 => ScalarKind.I16,
            TypeCode.UInt16 => ScalarKind.U16,
            TypeCode.Int32 => ScalarKind.I32,
            TypeCode.UInt32 => ScalarKind.U32,
            TypeCode.Int64 => ScalarKind.I64,
            TypeCode.UInt64 => ScalarKind.U64,
            TypeCode.Boolean => ScalarKind.Bool,
            _ => default,
        };
        return kind != default;
    }

    private static ArgumentOutOfRangeException UndefinedKind(ScalarKind kind) =>
        new(nameof(kind), kind, $"Scalar kind {(byte)kind} is not defined; expected 1 ({ScalarKind.F32}) to 11 ({ScalarKind.Bool}).");
}
