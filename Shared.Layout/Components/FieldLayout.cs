namespace SimHost.Layout.Components;

/// <summary>
/// One scalar field of a component: where it sits inside the struct and what it holds. Every field becomes one
/// column in a segment.
/// </summary>
/// <param name="Path">
/// The field's name; nested struct fields are joined with dots (<c>Body.Velocity.X</c>) and fixed-buffer or
/// inline-array elements carry an index (<c>Samples[2]</c>). Auto-property backing fields use the property name.
/// </param>
/// <param name="Kind">The scalar type stored at <paramref name="OffsetBytes"/>.</param>
/// <param name="OffsetBytes">The byte offset from the start of the struct, as laid out by the running .NET runtime.</param>
internal readonly record struct FieldLayout(string Path, ScalarKind Kind, int OffsetBytes)
{
    /// <summary>Gets the size in bytes of this field's value.</summary>
    public int SizeBytes => Kind.SizeBytes();

    /// <summary>Returns <c>Path: kind @ offset</c>, the form used in logs and mismatch messages.</summary>
    /// <returns>A one-line description such as <c>Body.Velocity.X: f32 @ 8</c>.</returns>
    public override string ToString() => $"{Path}: {Kind.WireName()} @ {OffsetBytes}";
}
