using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using SimHost.Host.Modules;

namespace Grazers.Server;

/// <summary>
/// The server's command line: its own options (<c>--entities</c>, the module's starting entity count, among them) and
/// one per module parameter (<c>--field</c>, <c>--grass-growth</c>, ...).
/// Parsing checks everything, the module's parameters included, so a typo or a bad value is refused before the host
/// is built. (Binding configuration instead would ignore an unknown key, and throw on a bad number only once the host
/// runs.)
/// </summary>
internal sealed class ServerCommandLine
{
    /// <summary>The most entities <c>--entities</c> takes: ten million, as the grazers' old <c>herd</c> parameter did.</summary>
    private const int MaxEntities = 10_000_000;

    private readonly SimulationModule _module;
    private readonly Option<long> _frames = WholeNumber("--frames", "Frames to run; 0 runs until Ctrl-C", 0L, 0L, long.MaxValue);
    private readonly Option<int> _workers = WholeNumber("--workers", "Worker processes; 0 runs every job in-process", 2, 0, 256);
    private readonly Option<int> _hz = WholeNumber("--hz", "Frames per second; the simulated step is 1/N s", 30, 1, 1000);
    private readonly Option<ulong> _seed = WholeNumber("--seed", "The seed of the initial world", 1UL, 0UL, ulong.MaxValue);
    private readonly Option<int> _entities;
    private readonly List<Option<string>> _parameters = [];

    public ServerCommandLine(SimulationModule module)
    {
        _module = module;
        _entities = WholeNumber("--entities", "Entities to seed: for grazers, the starting herd (the field's cells come on top)", module.DefaultEntities, 1, MaxEntities);
        Command = new RootCommand($"The {module.Name} module in the .NET Generic Host, ticking at a fixed rate on worker processes.")
        {
            _frames, _workers, _hz, _seed, _entities,
        };
        foreach (var parameter in module.Parameters)
        {
            var option = new Option<string>($"--{parameter.Name}") { Description = $"{parameter.Description} [{parameter}]", HelpName = "VALUE" };
            _parameters.Add(option);
            Command.Options.Add(option);
        }

        // The module checks each parameter; the error names this server's option, as --entities' does.
        Command.Validators.Add(result =>
        {
            foreach (var (option, parameter) in _parameters.Zip(module.Parameters))
            {
                if (result.GetResult(option) is null)
                {
                    continue;
                }

                var value = result.GetValue(option);
                try
                {
                    _ = ModuleContext.For(_module, parameters: [$"{parameter.Name}={value}"]);
                }
                catch (ModuleParameterException)
                {
                    result.AddError($"{option.Name} takes {parameter.Expectation}, not '{value}'");
                }
            }
        });
    }

    /// <summary>The root command: <c>Command.Parse(args)</c>; <c>--help</c> lists every option.</summary>
    public RootCommand Command { get; }

    /// <summary>The server's settings from a parse without errors.</summary>
    public ServerOptions Options(ParseResult parsed) => new()
    {
        Frames = parsed.GetValue(_frames),
        Workers = parsed.GetValue(_workers),
        Hz = parsed.GetValue(_hz),
        Seed = parsed.GetValue(_seed),
    };

    /// <summary>The module's seed, entity count and parameters from a parse without errors.</summary>
    public ModuleContext Context(ParseResult parsed) =>
        ModuleContext.For(_module, parsed.GetValue(_seed), parsed.GetValue(_entities), Assignments(parsed.CommandResult));

    /// <summary>The module parameters given, as the module reads them: <c>field=128</c>.</summary>
    private IEnumerable<string> Assignments(CommandResult parsed) => _parameters
        .Where(option => parsed.GetResult(option) is not null)
        .Select(option => $"{option.Name.TrimStart('-')}={parsed.GetValue(option)}");

    /// <summary>A whole-number option whose error names it and the range it takes.</summary>
    private static Option<T> WholeNumber<T>(string name, string description, T defaultValue, T min, T max)
        where T : IBinaryInteger<T>, IMinMaxValue<T> => new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (!T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
                {
                    var range = max == T.MaxValue ? $"{min} or more" : $"from {min} to {max}";
                    result.AddError($"{name} takes a whole number {range}, not '{text}'");
                }

                return value;
            },
        };
}
