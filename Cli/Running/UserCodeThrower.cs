using System.Diagnostics;
using System.Reflection;

namespace SimHost.Host.Running;

/// <summary>
/// Where in the user's own code (a module's <c>Seed</c>, a system, a job run in-process) an exception that ended a
/// run was thrown, so its one line says whose code to look at: a message such as "seed blew up" alone does not.
/// </summary>
internal static class UserCodeThrower
{
    /// <summary>
    /// " (InvalidOperationException thrown in Faulty.EpiModule.Seed)" for the innermost frame of <paramref name="exception"/>'s
    /// stack in an assembly that is neither .NET's nor SimHost's; empty when there is none (a SimHost or system error,
    /// whose message speaks for itself).
    /// </summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
        {
            if (frame.GetMethod() is { DeclaringType: { } type } method && IsUserAssembly(type.Assembly))
            {
                return $" ({exception.GetType().Name} thrown in {type.FullName}.{method.Name})";
            }
        }

        return string.Empty;
    }

    private static bool IsUserAssembly(Assembly assembly) => assembly.GetName().Name is { } name
        && !name.StartsWith("System", StringComparison.Ordinal)
        && !name.StartsWith("Microsoft", StringComparison.Ordinal)
        && !name.StartsWith("SimHost", StringComparison.Ordinal)
        && name is not ("simhost" or "mscorlib" or "netstandard" or "Serilog" or "CommunityToolkit.HighPerformance");
}
