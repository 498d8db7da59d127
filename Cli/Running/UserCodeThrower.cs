using System.Diagnostics;
using SimHost.Host.Modules;

namespace SimHost.Host.Running;

/// <summary>
/// Where in a <c>--module</c>'s own code (its <c>Seed</c>, its systems' setup, a job run in-process) an exception that
/// ended a run was thrown, so its one line says whose code to look at: a message such as "seed blew up" alone does not.
/// </summary>
internal static class UserCodeThrower
{
    /// <summary>
    /// " (InvalidOperationException thrown in Faulty.EpiModule.Seed)" for the innermost frame of <paramref name="exception"/>'s
    /// stack in the module's own assemblies (its module class's and its job assemblies); empty when there is none, or
    /// no module was given (the built-in particles: SimHost's own code, whose messages speak for themselves).
    /// </summary>
    public static string Describe(Exception exception, SimulationModule? module)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (module is null)
        {
            return string.Empty;
        }

        var own = module.JobAssemblies.Append(module.GetType().Assembly).ToHashSet();
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
        {
            if (frame.GetMethod() is { DeclaringType: { } type } method && own.Contains(type.Assembly))
            {
                return $" ({exception.GetType().Name} thrown in {type.FullName}.{method.Name})";
            }
        }

        return string.Empty;
    }
}
