namespace SimHost.Host.Modules;

/// <summary>
/// What a run asks of a module: the seed of its initial world, how many entities to seed, its parameter values and
/// how many ticks each frame runs. The same context gives the same world and the same checksum in every mode.
/// </summary>
public sealed record ModuleContext
{
    /// <summary>The seed of the initial world (<c>--seed</c>, default 1).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>How many entities to seed (<c>--entities</c>); the module decides what they are.</summary>
    public required int Entities { get; init; }

    /// <summary>The module's parameter values (<c>--param NAME=VALUE</c>, else the defaults).</summary>
    public required ModuleParameters Parameters { get; init; }

    /// <summary>Ticks each offloaded system runs per frame (<c>--ticks-per-frame</c>, default 1).</summary>
    public int TicksPerFrame { get; init; } = 1;

    /// <summary>
    /// The context of a run of <paramref name="module"/>: its default entity count unless <paramref name="entities"/>
    /// is given, and its parameters from <paramref name="parameters"/> (each <c>NAME=VALUE</c>) over the defaults.
    /// </summary>
    /// <returns>The context.</returns>
    /// <exception cref="ModuleParameterException">
    /// A parameter assignment is not valid for the module; the message names the parameter, what it accepts and this call.
    /// </exception>
    public static ModuleContext For(SimulationModule module, ulong seed = 1, int? entities = null, IEnumerable<string>? parameters = null, int ticksPerFrame = 1) =>
        For(module, seed, entities, parameters, ticksPerFrame, ParameterWording.Library($"{nameof(ModuleContext)}.{nameof(For)}"));

    /// <summary>
    /// Makes the context like the public <see cref="For(SimulationModule, ulong, int?, IEnumerable{string}?, int)"/>, with
    /// parameter errors worded for the caller that wrote the assignments (<see cref="ParameterWording.CommandLine"/> for
    /// simhost's <c>--param</c>).
    /// </summary>
    internal static ModuleContext For(SimulationModule module, ulong seed, int? entities, IEnumerable<string>? parameters, int ticksPerFrame, ParameterWording wording)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentOutOfRangeException.ThrowIfLessThan(ticksPerFrame, 1);
        var count = entities ?? module.DefaultEntities;
        ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(entities));
        return new ModuleContext
        {
            Seed = seed,
            Entities = count,
            Parameters = ModuleParameters.Parse(module, parameters ?? [], wording),
            TicksPerFrame = ticksPerFrame,
        };
    }
}
