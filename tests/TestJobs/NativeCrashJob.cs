using System.Runtime.InteropServices;
using SimHost.Layout.Jobs;
using SimHost.Physics.Components;

namespace SimHost.Tests.Jobs;

/// <summary>
/// Mutates some rows, then writes through a null pointer inside native code (libc memset), which the runtime cannot
/// turn into a NullReferenceException: the process dies of SIGSEGV.
/// </summary>
public sealed partial class NativeCrashJob : IJob
{
    /// <inheritdoc/>
    public string Name => TestJobNames.NativeCrash;

    /// <inheritdoc/>
    public IReadOnlyList<Type> ComponentTypes { get; } = [typeof(Position)];

    /// <inheritdoc/>
    public void Execute(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var positions = context.Write<Position>();
        var some = Math.Min(10, positions.Length);
        for (var i = 0; i < some; i++)
        {
            positions[i].Z = -1f;
        }

        context.MarkChanged<Position>(0, some);
        MemSet(IntPtr.Zero, 0, 64);
    }

    [LibraryImport("libc", EntryPoint = "memset")]
    private static partial IntPtr MemSet(IntPtr destination, int value, nuint count);
}
