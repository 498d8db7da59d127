using System.Reflection;
using SimHost.Layout.Jobs;

namespace SimHost.Host.Modules;

/// <summary>
/// Loads a module from its assembly's path (<c>simhost run --module PATH</c>): the assembly and its dependencies
/// come from its own output folder through its <c>.deps.json</c>, exactly as workers load job assemblies
/// (<see cref="JobCatalog.Load"/>), and it must hold exactly one public, non-abstract
/// <see cref="SimulationModule"/> class with a public parameterless constructor.
/// </summary>
public static class ModuleLoader
{
    /// <summary>Loads the module assembly at <paramref name="path"/> and creates its module.</summary>
    /// <param name="path">The module's dll, in its build or publish output folder.</param>
    /// <returns>The module.</returns>
    /// <exception cref="ModuleLoadException">The assembly cannot be loaded, or it has no module class or more than one.</exception>
    public static SimulationModule Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Assembly assembly;
        try
        {
            assembly = JobCatalog.LoadAssembly(path);
        }
        catch (JobCatalogException exception)
        {
            throw new ModuleLoadException($"module '{path}': {exception.Message}", exception);
        }

        return Create(assembly, path);
    }

    /// <summary>Creates the one module of an already loaded <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The module assembly.</param>
    /// <param name="path">How to name it in messages (its path); the assembly's name when null.</param>
    /// <returns>The module.</returns>
    /// <exception cref="ModuleLoadException">It has no module class or more than one, or the module cannot be created.</exception>
    internal static SimulationModule Create(Assembly assembly, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var shown = path ?? assembly.GetName().Name ?? "?";
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception exception) when (exception is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new ModuleLoadException($"module '{shown}': its types cannot be loaded ({FirstLine(exception.Message)}); build it with its dependencies and give the path in that output folder.", exception);
        }

        var modules = new List<Type>();
        foreach (var type in types)
        {
            if (type.IsClass && !type.IsAbstract && typeof(SimulationModule).IsAssignableFrom(type))
            {
                modules.Add(type);
            }
        }

        if (modules.Count == 0)
        {
            throw new ModuleLoadException($"module '{shown}' has no public module class; add one (public sealed class MySimulation : SimulationModule) or give the path of the assembly that has it.");
        }

        if (modules.Count > 1)
        {
            var names = string.Join(", ", modules.Select(static type => type.FullName).Order(StringComparer.Ordinal));
            throw new ModuleLoadException($"module '{shown}' has {modules.Count} module classes ({names}); keep one public SimulationModule per assembly (make the others internal or move them).");
        }

        var moduleType = modules[0];
        if (moduleType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ModuleLoadException($"module '{shown}': {moduleType.FullName} has no public parameterless constructor; add one.");
        }

        try
        {
            return (SimulationModule)Activator.CreateInstance(moduleType)!;
        }
        catch (TargetInvocationException exception)
        {
            var cause = exception.InnerException ?? exception;
            throw new ModuleLoadException($"module '{shown}': {moduleType.FullName} threw from its constructor ({cause.GetType().Name}: {FirstLine(cause.Message)}).", cause);
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
