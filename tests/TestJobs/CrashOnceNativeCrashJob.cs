using System.Runtime.InteropServices;
using SimHost.Layout.Jobs;

namespace SimHost.Tests.Jobs;

/// <summary>
/// physics.step that, the first time it runs a range, scribbles over some rows and then writes through a null pointer
/// inside libc (SIGSEGV, which the runtime cannot turn into an exception).
/// </summary>
public sealed partial class CrashOnceNativeCrashJob : CrashOnceJob
{
    /// <inheritdoc/>
    public override string Name => CrashOnceJobNames.NativeCrash;

    /// <inheritdoc/>
    protected override double ScribbledShare => 0.25;

    /// <inheritdoc/>
    protected override void Fail(JobContext context) => MemSet(IntPtr.Zero, 0, 64);

    [LibraryImport("libc", EntryPoint = "memset")]
    private static partial IntPtr MemSet(IntPtr destination, int value, nuint count);
}
