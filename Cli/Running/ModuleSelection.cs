using SimHost.Host.Cli;
using SimHost.Host.Modules;
using SimHost.Physics;

namespace SimHost.Host.Running;

/// <summary>
/// The module a command runs or describes: the dll of <c>--module</c>, else the particles module simhost carries,
/// and the context <c>--entities</c>, <c>--seed</c> and <c>--param</c> ask of it. Every problem is the user's to fix:
/// a <see cref="UsageException"/> with the module's one-line message (exit 2).
/// </summary>
internal static class ModuleSelection
{
    /// <summary>Loads the module at <paramref name="modulePath"/>, or the particles module when it is null.</summary>
    /// <exception cref="UsageException">The file is missing, cannot be loaded, or holds no module or more than one.</exception>
    public static SimulationModule Load(string? modulePath)
    {
        if (modulePath is null)
        {
            return new ParticlesModule();
        }

        if (Directory.Exists(modulePath))
        {
            throw new UsageException($"--module '{modulePath}' is a directory; give the path of a built module .dll in it (e.g. bin/Release/net10.0/Grazers.dll).");
        }

        if (!File.Exists(modulePath))
        {
            throw new UsageException($"--module '{modulePath}' does not exist; give the path of a built module .dll (e.g. bin/Release/net10.0/Grazers.dll).");
        }

        if (Path.GetExtension(modulePath) is ".csproj" or ".fsproj" or ".vbproj")
        {
            var name = Path.GetFileNameWithoutExtension(modulePath);
            throw new UsageException($"--module '{modulePath}' is a project, not a built module; build it (dotnet build -c Release) and give the .dll it makes, e.g. bin/Release/net10.0/{name}.dll.");
        }

        try
        {
            return ModuleLoader.Load(Path.GetFullPath(modulePath));
        }
        catch (ModuleLoadException exception)
        {
            throw new UsageException($"--module: {exception.Message}", exception);
        }
    }

    /// <summary>The context of a run of <paramref name="module"/>; the entity count is checked against the widest checksum component's column.</summary>
    /// <exception cref="UsageException">A parameter assignment is not valid, or the entities cannot fit one column.</exception>
    public static ModuleContext Context(SimulationModule module, ulong seed, long? entities, IReadOnlyList<string> parameters, int ticksPerFrame)
    {
        if (entities is { } count && EntityLimit.Problem(count, module.ChecksumComponents) is { } problem)
        {
            throw new UsageException(problem);
        }

        try
        {
            // The assignments came from --param: the module's messages quote the flag the user typed. Within the
            // module's limit, the count is an int (the limit is one column's rows).
            return ModuleContext.For(module, seed, (int?)entities, parameters, ticksPerFrame, ParameterWording.CommandLine);
        }
        catch (ModuleParameterException exception)
        {
            throw new UsageException(exception.Message, exception);
        }
    }
}
