namespace SimHost.Host.Modules;

/// <summary>
/// The values of a module's parameters for one run: each declared parameter's default, overridden by the run's
/// <c>NAME=VALUE</c> assignments. Read them by name with the getter of the parameter's kind.
/// </summary>
public sealed class ModuleParameters
{
    private readonly Dictionary<string, object> _values;

    private ModuleParameters(Dictionary<string, object> values) => _values = values;

    /// <summary>Every value, by parameter name.</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>The defaults of <paramref name="module"/>'s parameters.</summary>
    /// <returns>The values.</returns>
    public static ModuleParameters Defaults(SimulationModule module) => Parse(module, []);

    /// <summary>
    /// Checks <paramref name="assignments"/> (each <c>NAME=VALUE</c>, e.g. <c>herd=50000</c>) against
    /// <paramref name="module"/>'s declared parameters and returns every parameter's value.
    /// </summary>
    /// <returns>The values: the assignments, and the defaults of the parameters they leave out.</returns>
    /// <exception cref="ModuleParameterException">
    /// An assignment is malformed, repeated, names no parameter, or has a value the parameter does not accept; the
    /// message names the parameter, what it accepts and this call.
    /// </exception>
    public static ModuleParameters Parse(SimulationModule module, IEnumerable<string> assignments) =>
        Parse(module, assignments, ParameterWording.Library($"{nameof(ModuleParameters)}.{nameof(Parse)}"));

    /// <summary>Checks like <see cref="Parse(SimulationModule, IEnumerable{string})"/>, with errors worded for the caller that wrote the assignments.</summary>
    internal static ModuleParameters Parse(SimulationModule module, IEnumerable<string> assignments, ParameterWording wording)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(assignments);
        var declared = new Dictionary<string, ModuleParameter>(StringComparer.Ordinal);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var parameter in module.Parameters)
        {
            if (!declared.TryAdd(parameter.Name, parameter))
            {
                throw new InvalidOperationException($"Module '{module.Name}' declares parameter '{parameter.Name}' twice.");
            }

            values[parameter.Name] = parameter.DefaultValue;
        }

        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assignment in assignments)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ModuleParameterException(wording.Malformed(assignment, Example(module)));
            }

            var name = assignment[..equals].Trim();
            var text = assignment[(equals + 1)..].Trim();
            if (!declared.TryGetValue(name, out var parameter))
            {
                var known = declared.Count == 0 ? "none" : string.Join(", ", declared.Values);
                throw new ModuleParameterException(wording.Unknown(module.Name, name, known));
            }

            if (!given.Add(name))
            {
                throw new ModuleParameterException(wording.Repeated(name));
            }

            if (!parameter.TryParse(text, out var value))
            {
                throw new ModuleParameterException(wording.Invalid(assignment, name, text, parameter.Expectation));
            }

            values[name] = value;
        }

        return new ModuleParameters(values);
    }

    /// <summary>The value of a whole-number parameter that fits an <see cref="int"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such parameter, or it is not a whole number.</exception>
    /// <exception cref="OverflowException">Its bounds allow values outside <see cref="int"/>.</exception>
    public int GetInt32(string name) => checked((int)GetInt64(name));

    /// <summary>The value of a whole-number parameter.</summary>
    /// <exception cref="KeyNotFoundException">No such parameter, or it is not a whole number.</exception>
    public long GetInt64(string name) => Get<long>(name);

    /// <summary>The value of a number parameter.</summary>
    /// <exception cref="KeyNotFoundException">No such parameter, or it is not a number.</exception>
    public double GetDouble(string name) => Get<double>(name);

    /// <summary>The value of a true/false parameter.</summary>
    /// <exception cref="KeyNotFoundException">No such parameter, or it is not true/false.</exception>
    public bool GetBoolean(string name) => Get<bool>(name);

    private T Get<T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.TryGetValue(name, out var value) && value is T typed
            ? typed
            : throw new KeyNotFoundException($"The module has no {typeof(T).Name} parameter '{name}'.");
    }

    private static string Example(SimulationModule module) =>
        module.Parameters.Count == 0 ? "NAME=VALUE" : $"{module.Parameters[0].Name}={FormatDefault(module.Parameters[0])}";

    private static string FormatDefault(ModuleParameter parameter) => parameter.DefaultValue switch
    {
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var other => other.ToString() ?? string.Empty,
    };
}
