using System.Runtime.InteropServices;

namespace SimHost.Tests.HangingModule;

/// <summary>The one component of the hanging module's entities.</summary>
/// <param name="Value">A number the job would change, had it returned.</param>
[StructLayout(LayoutKind.Sequential)]
public record struct Stuck(int Value);
