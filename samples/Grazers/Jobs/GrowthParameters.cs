using System.Runtime.InteropServices;

namespace Grazers.Jobs;

/// <summary>The constants of <see cref="RegrowJob"/>, sent to workers as the job's parameter blob.</summary>
/// <param name="Capacity">The most grass a cell holds.</param>
/// <param name="DayLength">Seconds from one dawn to the next: growth follows the sun.</param>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public readonly record struct GrowthParameters(float Capacity, float DayLength);
