namespace SimHostNamespace.Jobs;

using global::System.Runtime.InteropServices;

/// <summary>The constants of <see cref="MoveJob"/>, sent to the workers as the job's parameter blob.</summary>
/// <param name="BoxSize">The side of the square box in metres; bodies bounce off its walls.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct MoveParameters(float BoxSize);
