using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace SimHost.Layout.Jobs;

/// <summary>
/// The load context of one job assembly (one per path, for the life of the process): its own dependencies resolve
/// through its <c>.deps.json</c> (or the files next to it), native libraries included, while every assembly the
/// process itself carries (SimHost.Layout, the built-in jobs, the framework) comes from the default context, so
/// <see cref="IJob"/>, <see cref="JobContext"/> and shared component types keep one identity.
/// </summary>
/// <remarks>
/// The process's copy is shared only when its version is at least the one the job was built against: a job built
/// against a newer version of a package the process happens to carry gets its own copy from its folder instead of
/// failing to load. (A job built against an older version shares the process's newer copy, as the default context
/// would.)
/// </remarks>
internal sealed class JobAssemblyLoadContext : AssemblyLoadContext
{
    private static readonly ConcurrentDictionary<string, JobAssemblyLoadContext> s_byPath = new(StringComparer.Ordinal);
    private static readonly Lazy<Dictionary<string, Version?>> s_processAssemblies = new(ProcessAssemblyVersions);

    private readonly AssemblyDependencyResolver _resolver;

    private JobAssemblyLoadContext(string assemblyPath)
        : base($"SimHost job assembly {Path.GetFileName(assemblyPath)}", isCollectible: false)
    {
        AssemblyPath = assemblyPath;
        _resolver = new AssemblyDependencyResolver(assemblyPath);
    }

    /// <summary>The full path of the job assembly this context loads.</summary>
    public string AssemblyPath { get; }

    /// <summary>The context for <paramref name="fullPath"/>, created on first use; loading a path twice gives one assembly.</summary>
    /// <exception cref="InvalidOperationException">The resolver cannot read the assembly's .deps.json.</exception>
    public static JobAssemblyLoadContext For(string fullPath) => s_byPath.GetOrAdd(fullPath, static path => new JobAssemblyLoadContext(path));

    /// <summary>
    /// Whether the process's own dependency set (its trusted platform assemblies) or the default context has
    /// <paramref name="name"/> at its version or a newer one.
    /// </summary>
    public static bool IsProcessAssembly(AssemblyName name)
    {
        if (name.Name is not { } simpleName)
        {
            return false;
        }

        if (s_processAssemblies.Value.TryGetValue(simpleName, out var carried) && Satisfies(carried, name.Version))
        {
            return true;
        }

        foreach (var loaded in Default.Assemblies)
        {
            var loadedName = loaded.GetName();
            if (string.Equals(loadedName.Name, simpleName, StringComparison.OrdinalIgnoreCase) && Satisfies(loadedName.Version, name.Version))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Prefers the process's copy (one identity for shared types); otherwise the job's own, by its deps.json.</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (IsProcessAssembly(assemblyName))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);

        // Null falls back to the default context, which throws FileNotFoundException when nobody has it.
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    /// <inheritdoc/>
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private static bool Satisfies(Version? carried, Version? requested) => requested is null || carried is null || carried >= requested;

    private static Dictionary<string, Version?> ProcessAssemblyVersions()
    {
        var versions = new Dictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                versions[Path.GetFileNameWithoutExtension(path)] = VersionOf(path);
            }
        }

        return versions;
    }

    private static Version? VersionOf(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Version;
        }
        catch (Exception exception) when (exception is IOException or BadImageFormatException or UnauthorizedAccessException or ArgumentException)
        {
            // Unreadable as an assembly: share it by name only, as before.
            return null;
        }
    }
}
