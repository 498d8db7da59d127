using System.Runtime.InteropServices;

namespace SimHost.Layout.Components;

/// <summary>
/// A byte followed by a <typeparamref name="T"/>: its size minus the size of <typeparamref name="T"/> is the
/// alignment the runtime gives <typeparamref name="T"/> (the padding it inserts after the byte, plus the byte).
/// </summary>
/// <typeparam name="T">The struct whose alignment is measured.</typeparam>
[StructLayout(LayoutKind.Sequential)]
internal struct AlignmentProbe<T>
    where T : struct
{
    /// <summary>The leading byte that forces the runtime to pad up to <typeparamref name="T"/>'s alignment.</summary>
    public byte Lead;

    /// <summary>The measured value.</summary>
    public T Value;
}
