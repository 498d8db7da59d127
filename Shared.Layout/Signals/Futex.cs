using System.Runtime.InteropServices;

namespace SimHost.Layout.Signals;

/// <summary>
/// The Linux futex syscall on a 32-bit word in shared memory: sleep while the word holds an expected value, and wake
/// sleepers after changing it. Shared (not private) futexes, because the two sides are different processes.
/// </summary>
internal static unsafe partial class Futex
{
    private const int FutexWaitOperation = 0;
    private const int FutexWakeOperation = 1;
    private const long SysFutexX64 = 202;
    private const long SysFutexArm64 = 98;

    /// <summary>Whether futex is available here (Linux on x64 or arm64); elsewhere the pipe is the only signal path.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    private static long SyscallNumber => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? SysFutexArm64 : SysFutexX64;

    /// <summary>
    /// Sleeps while <paramref name="word"/> equals <paramref name="expected"/>, for at most <paramref name="timeout"/>.
    /// Returns at once when the word already differs; a wake, a timeout, a signal or a spurious wake-up all just
    /// return, so the caller re-checks its condition.
    /// </summary>
    /// <param name="word">A 4-byte aligned word, normally in a shared mapping.</param>
    /// <param name="expected">The value under which sleeping is correct.</param>
    /// <param name="timeout">The longest sleep.</param>
    /// <exception cref="PlatformNotSupportedException">Not on Linux x64/arm64.</exception>
    public static void Wait(ref uint word, uint expected, TimeSpan timeout)
    {
        EnsureSupported();
        var ticks = Math.Max(0, timeout.Ticks);
        var time = new Timespec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
        fixed (uint* address = &word)
        {
            // EAGAIN (the word changed), ETIMEDOUT and EINTR are all "re-check": no error is worth reporting here.
            _ = Syscall(SyscallNumber, address, FutexWaitOperation, expected, &time, null, 0);
        }
    }

    /// <summary>Wakes every thread sleeping on <paramref name="word"/> in any process.</summary>
    /// <param name="word">The word sleepers wait on.</param>
    /// <exception cref="PlatformNotSupportedException">Not on Linux x64/arm64.</exception>
    public static void WakeAll(ref uint word)
    {
        EnsureSupported();
        fixed (uint* address = &word)
        {
            _ = Syscall(SyscallNumber, address, FutexWakeOperation, int.MaxValue, null, null, 0);
        }
    }

    private static void EnsureSupported()
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("futex is only used on Linux x64 and arm64; use the pipe signal path.");
        }
    }

    // syscall(2) is variadic in C; with integer and pointer arguments only, the fixed-argument call is identical on
    // the Linux x64 and arm64 ABIs.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, uint* address, int operation, uint value, Timespec* timeout, uint* address2, uint value3);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
