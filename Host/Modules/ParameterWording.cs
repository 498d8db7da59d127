namespace SimHost.Host.Modules;

/// <summary>
/// How a <see cref="ModuleParameterException"/> names what its caller wrote. The <c>simhost</c> command line's users
/// typed <c>--param NAME=VALUE</c>, so its messages quote the flag; a program that calls
/// <see cref="ModuleContext.For(SimulationModule, ulong, int?, IEnumerable{string}?, int)"/> or
/// <see cref="ModuleParameters.Parse(SimulationModule, IEnumerable{string})"/> has no flag to point at, so its
/// messages name the parameter and the call that refused it.
/// </summary>
internal sealed class ParameterWording
{
    private readonly string? _api;

    private ParameterWording(string? api) => _api = api;

    /// <summary>The <c>simhost</c> CLI's wording: <c>--param herd=abc: herd is a whole number from 1 to 10000000</c>.</summary>
    public static ParameterWording CommandLine { get; } = new(null);

    /// <summary>A library call's wording: <c>ModuleContext.For: parameter 'herd' is a whole number from 1 to 10000000, not 'abc'</c>.</summary>
    /// <param name="api">The public call that checked the assignments, e.g. <c>ModuleContext.For</c>.</param>
    public static ParameterWording Library(string api) => new(api);

    /// <summary>An assignment that is not NAME=VALUE: no '=', or nothing before it.</summary>
    public string Malformed(string assignment, string example) => _api is null
        ? $"--param {assignment}: write NAME=VALUE, e.g. --param {example}"
        : $"{_api}: parameter assignment '{assignment}' is not NAME=VALUE; write e.g. \"{example}\"";

    /// <summary>An assignment to a parameter the module does not declare; <paramref name="known"/> lists those it does.</summary>
    public string Unknown(string moduleName, string name, string known) => _api is null
        ? $"module '{moduleName}' has no parameter '{name}'; it has: {known}"
        : $"{_api}: module '{moduleName}' has no parameter '{name}'; it has: {known}";

    /// <summary>A second assignment to one parameter.</summary>
    public string Repeated(string name) => _api is null
        ? $"--param {name} is given twice; give each parameter once"
        : $"{_api}: parameter '{name}' is assigned twice; assign each parameter once";

    /// <summary>A value the parameter does not take; <paramref name="expectation"/> completes "NAME is ...".</summary>
    public string Invalid(string assignment, string name, string value, string expectation) => _api is null
        ? $"--param {assignment}: {name} is {expectation}"
        : $"{_api}: parameter '{name}' is {expectation}, not '{value}'";
}
