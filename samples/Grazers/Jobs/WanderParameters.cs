using System.Runtime.InteropServices;

namespace Grazers.Jobs;

/// <summary>The constants of <see cref="WanderJob"/>, sent to workers as the job's parameter blob.</summary>
/// <param name="FieldSize">The side of the square field in metres; grazers wrap around its edges.</param>
/// <param name="Speed">Walking speed in metres per second.</param>
/// <param name="Cost">Energy spent per second of walking.</param>
/// <param name="OasisSeed">Seed of the watering holes whose scent the herd follows.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct WanderParameters(float FieldSize, float Speed, float Cost, uint OasisSeed);
