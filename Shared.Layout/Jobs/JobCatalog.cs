using System.Reflection;
using System.Runtime.Loader;
using SimHost.Layout.Components;

namespace SimHost.Layout.Jobs;

/// <summary>
/// The jobs a process can run, by name: every public, non-abstract <see cref="IJob"/> class with a public
/// parameterless constructor in the given assemblies. The host and every worker build it from the same list, so
/// a name means the same code on both sides.
/// </summary>
public sealed partial class JobCatalog
{
    private readonly Dictionary<string, IJob> _jobs;

    private JobCatalog(Dictionary<string, IJob> jobs, IReadOnlyList<ComponentLayout> layouts, IReadOnlyList<JobLoadFailure> failures)
    {
        _jobs = jobs;
        ComponentLayouts = layouts;
        LoadFailures = failures;
    }

    /// <summary>Every job name, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _jobs.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The layouts of every component the jobs declare, without repeats.</summary>
    internal IReadOnlyList<ComponentLayout> ComponentLayouts { get; }

    /// <summary>What <see cref="LoadEach"/> could not load (empty for a catalog built any other way, which throws instead).</summary>
    internal IReadOnlyList<JobLoadFailure> LoadFailures { get; }

    /// <summary>Finds a job by name.</summary>
    /// <param name="name">The job name.</param>
    /// <param name="job">The job, when found.</param>
    /// <returns>Whether the name is known.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IJob? job) => _jobs.TryGetValue(name, out job);

    /// <summary>Builds a catalog from loaded assemblies.</summary>
    /// <exception cref="JobCatalogException">A job cannot be created, or two jobs share a name.</exception>
    public static JobCatalog FromAssemblies(IEnumerable<Assembly> assemblies)
    {
        var builder = new Builder(isStrict: true);
        foreach (var assembly in assemblies.Distinct())
        {
            builder.AddAssembly(assembly, assembly.GetName().Name ?? assembly.FullName ?? "?");
        }

        return builder.Build();
    }

    /// <summary>Builds a catalog from candidate types; those that are not creatable jobs are passed over.</summary>
    internal static JobCatalog FromTypes(IEnumerable<Type> types)
    {
        var builder = new Builder(isStrict: true);
        builder.AddTypes(types, "test types");
        return builder.Build();
    }

    /// <summary>Builds a catalog from built-in assemblies plus job assemblies given by path.</summary>
    /// <param name="builtIn">Assemblies already loaded (e.g. the physics jobs).</param>
    /// <param name="assemblyPaths">
    /// Paths of further job assemblies, each loaded into a load context of its own with the dependencies its
    /// <c>.deps.json</c> names (give paths in the assemblies' build or publish output folders).
    /// </param>
    /// <exception cref="JobCatalogException">A path cannot be loaded, or <see cref="FromAssemblies"/> fails.</exception>
    public static JobCatalog Load(IEnumerable<Assembly> builtIn, IEnumerable<string> assemblyPaths) => LoadCatalog(builtIn, assemblyPaths, isStrict: true);

    /// <summary>
    /// Like <see cref="Load"/>, but a job assembly or job that cannot be loaded is recorded in <see cref="LoadFailures"/>
    /// and left out instead of failing the whole catalog: a worker reports what it could not load rather than dying.
    /// The first of two jobs with one name is kept.
    /// </summary>
    /// <param name="builtIn">Assemblies already loaded (e.g. the physics jobs).</param>
    /// <param name="assemblyPaths">Paths of further job assemblies.</param>
    /// <returns>The jobs that loaded, and the failures.</returns>
    internal static JobCatalog LoadEach(IEnumerable<Assembly> builtIn, IEnumerable<string> assemblyPaths) => LoadCatalog(builtIn, assemblyPaths, isStrict: false);

    /// <summary>
    /// Loads one job assembly by path into its own load context (one per path, so loading it twice gives the same
    /// assembly): its dependencies resolve through its <c>.deps.json</c> and the files beside it, while assemblies the
    /// process already carries (SimHost.Layout, shared components, the framework) are shared, so types keep one identity.
    /// Every assembly it references is loaded at once, so a missing dependency fails here rather than in the first job.
    /// </summary>
    /// <exception cref="JobCatalogException">The file is missing, unreadable, not a .NET assembly, or a dependency cannot be loaded.</exception>
    internal static Assembly LoadAssembly(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            // Assembly.Location is empty in a single-file application: the jobs have no file a worker could load.
            throw Failure(JobLoadError.AssemblyMissing, path, string.Empty, "A job assembly path is empty (Assembly.Location is empty in a single-file application); keep the jobs in a dll of their own beside the application (a module) and give its path.", "the path is empty");
        }

        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw Failure(JobLoadError.AssemblyMissing, fullPath, string.Empty, $"Job assembly '{path}' could not be loaded (FileNotFoundException: the file does not exist); give the path of a .NET assembly built against SimHost.Layout.", $"the file '{fullPath}' does not exist");
        }

        Assembly assembly;
        try
        {
            assembly = AlreadyInDefaultContext(fullPath) ?? JobAssemblyLoadContext.For(fullPath).LoadFromAssemblyPath(fullPath);
        }
        catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            var detail = $"{exception.GetType().Name}: {FirstLine(exception.Message)}";
            throw Failure(JobLoadError.AssemblyInvalid, fullPath, string.Empty, $"Job assembly '{path}' could not be loaded ({detail}); give the path of a .NET assembly built against SimHost.Layout.", detail, exception);
        }

        LoadReferences(assembly, fullPath, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        return assembly;
    }

    private static JobCatalog LoadCatalog(IEnumerable<Assembly> builtIn, IEnumerable<string> assemblyPaths, bool isStrict)
    {
        ArgumentNullException.ThrowIfNull(builtIn);
        ArgumentNullException.ThrowIfNull(assemblyPaths);
        var builder = new Builder(isStrict);
        var added = new HashSet<Assembly>();
        foreach (var assembly in builtIn)
        {
            if (added.Add(assembly))
            {
                builder.AddAssembly(assembly, assembly.GetName().Name ?? "?");
            }
        }

        foreach (var path in assemblyPaths)
        {
            Assembly assembly;
            try
            {
                assembly = LoadAssembly(path);
            }
            catch (JobCatalogException exception) when (!isStrict && exception.Failure is { } failure)
            {
                builder.Record(failure);
                continue;
            }

            if (added.Add(assembly))
            {
                builder.AddAssembly(assembly, Path.GetFullPath(path));
            }
        }

        return builder.Build();
    }

    /// <summary>An assembly the default context already loaded from this very file (a host that references its job assembly).</summary>
    private static Assembly? AlreadyInDefaultContext(string fullPath)
    {
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (!assembly.IsDynamic && string.Equals(assembly.Location, fullPath, StringComparison.Ordinal))
            {
                return assembly;
            }
        }

        return null;
    }

    /// <summary>Loads every assembly <paramref name="assembly"/> references, and theirs when they are the job's own.</summary>
    private static void LoadReferences(Assembly assembly, string jobAssemblyPath, HashSet<string> seen)
    {
        var context = AssemblyLoadContext.GetLoadContext(assembly);
        foreach (var reference in assembly.GetReferencedAssemblies())
        {
            if (reference.Name is null || !seen.Add(reference.Name))
            {
                continue;
            }

            Assembly dependency;
            try
            {
                dependency = context is null ? Assembly.Load(reference) : context.LoadFromAssemblyName(reference);
            }
            catch (Exception exception) when (exception is FileNotFoundException or FileLoadException or BadImageFormatException or IOException)
            {
                var detail = exception is FileNotFoundException
                    ? $"its dependency '{reference.FullName}' is not in its folder or its .deps.json, and this process does not carry it"
                    : $"its dependency '{reference.FullName}' cannot be loaded ({exception.GetType().Name}: {FirstLine(exception.Message)})";
                throw Failure(
                    JobLoadError.DependencyMissing,
                    jobAssemblyPath,
                    string.Empty,
                    $"Job assembly '{jobAssemblyPath}' could not be loaded: {detail}; build it with its dependencies (dotnet build or publish) and give the path in that output folder.",
                    detail,
                    exception);
            }

            // Only the job's own dependencies are walked further: the process's assemblies load their own references.
            if (context is not null && context != AssemblyLoadContext.Default && AssemblyLoadContext.GetLoadContext(dependency) == context)
            {
                LoadReferences(dependency, jobAssemblyPath, seen);
            }
        }
    }

    private static JobCatalogException Failure(JobLoadError error, string assemblyPath, string jobName, string message, string detail, Exception? cause = null) =>
        new(new JobLoadFailure(error, assemblyPath, jobName, detail), message, cause);

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
