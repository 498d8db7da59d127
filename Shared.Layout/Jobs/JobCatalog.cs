using System.Reflection;
using System.Runtime.Loader;
using SimHost.Layout.Components;

namespace SimHost.Layout.Jobs;

/// <summary>
/// The jobs a process can run, by name: every public, non-abstract <see cref="IJob"/> class with a public
/// parameterless constructor in the given assemblies. The host and every worker build it from the same list, so
/// a name means the same code on both sides.
/// </summary>
public sealed class JobCatalog
{
    private readonly Dictionary<string, IJob> _jobs;

    private JobCatalog(Dictionary<string, IJob> jobs, IReadOnlyList<ComponentLayout> layouts)
    {
        _jobs = jobs;
        ComponentLayouts = layouts;
    }

    /// <summary>Every job name, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _jobs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The layouts of every component the jobs declare, without repeats.</summary>
    public IReadOnlyList<ComponentLayout> ComponentLayouts { get; }

    /// <summary>Finds a job by name.</summary>
    /// <param name="name">The job name.</param>
    /// <param name="job">The job, when found.</param>
    /// <returns>Whether the name is known.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IJob? job) => _jobs.TryGetValue(name, out job);

    /// <summary>Builds a catalog from loaded assemblies.</summary>
    /// <exception cref="JobCatalogException">A job cannot be created, or two jobs share a name.</exception>
    public static JobCatalog FromAssemblies(IEnumerable<Assembly> assemblies)
    {
        var types = new List<Type>();
        foreach (var assembly in assemblies.Distinct())
        {
            types.AddRange(ExportedTypes(assembly));
        }

        return FromTypes(types);
    }

    /// <summary>Builds a catalog from candidate types; those that are not creatable jobs are passed over.</summary>
    internal static JobCatalog FromTypes(IEnumerable<Type> types)
    {
        var jobs = new Dictionary<string, IJob>(StringComparer.Ordinal);
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        var layouts = new Dictionary<ulong, ComponentLayout>();
        foreach (var type in types)
        {
            if (!type.IsClass || type.IsAbstract || !typeof(IJob).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null)
            {
                continue;
            }

            var job = Create(type);
            var origin = $"{type.FullName} ({type.Assembly.GetName().Name})";
            if (origins.TryGetValue(job.Name, out var first))
            {
                throw new JobCatalogException($"Two jobs are named '{job.Name}': {first} and {origin}; rename one.");
            }

            jobs.Add(job.Name, job);
            origins.Add(job.Name, origin);
            foreach (var componentType in job.ComponentTypes)
            {
                var layout = LayoutOf(job, componentType);
                layouts.TryAdd(layout.Hash, layout);
            }
        }

        return new JobCatalog(jobs, [.. layouts.Values]);
    }

    /// <summary>Builds a catalog from built-in assemblies plus job assemblies given by path.</summary>
    /// <param name="builtIn">Assemblies already loaded (e.g. the physics jobs).</param>
    /// <param name="assemblyPaths">Paths of further job assemblies.</param>
    /// <exception cref="JobCatalogException">A path cannot be loaded, or <see cref="FromAssemblies"/> fails.</exception>
    public static JobCatalog Load(IEnumerable<Assembly> builtIn, IEnumerable<string> assemblyPaths)
    {
        var assemblies = new List<Assembly>(builtIn);
        foreach (var path in assemblyPaths)
        {
            assemblies.Add(LoadAssembly(path));
        }

        return FromAssemblies(assemblies);
    }

    /// <summary>Loads one job assembly by path into the default load context, so its components are the host's types.</summary>
    /// <exception cref="JobCatalogException">The file is missing, unreadable or not a .NET assembly.</exception>
    public static Assembly LoadAssembly(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new JobCatalogException($"Job assembly '{path}' could not be loaded ({exception.GetType().Name}: {FirstLine(exception.Message)}); give the path of a .NET assembly built against SimHost.Layout.", exception);
        }
    }

    private static Type[] ExportedTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (Exception exception) when (exception is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new JobCatalogException($"Job assembly '{assembly.GetName().Name}' references something that cannot be loaded ({FirstLine(exception.Message)}); put its dependencies next to it.", exception);
        }
    }

    private static IJob Create(Type type)
    {
        IJob job;
        try
        {
            job = (IJob)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException exception)
        {
            var cause = exception.InnerException ?? exception;
            throw new JobCatalogException($"Job {type.FullName} threw from its constructor ({cause.GetType().Name}: {FirstLine(cause.Message)}).", cause);
        }

        if (string.IsNullOrWhiteSpace(job.Name))
        {
            throw new JobCatalogException($"Job {type.FullName} has an empty name; give it a unique name such as 'mygame.step'.");
        }

        return job;
    }

    private static ComponentLayout LayoutOf(IJob job, Type componentType)
    {
        try
        {
            return ComponentLayout.Of(componentType);
        }
        catch (ComponentLayoutException exception)
        {
            throw new JobCatalogException($"Job '{job.Name}' declares a component that cannot be shared: {exception.Message}", exception);
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
