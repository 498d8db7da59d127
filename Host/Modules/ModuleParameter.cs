using System.Globalization;

namespace SimHost.Host.Modules;

/// <summary>
/// One named parameter a module declares: its kind, default, bounds and a one-line description. A run sets it with
/// an assignment <c>NAME=VALUE</c> (simhost's <c>--param</c>, or the parameters given to
/// <see cref="ModuleContext.For(SimulationModule, ulong, int?, IEnumerable{string}?, int)"/>);
/// <see cref="ModuleParameters.Parse(SimulationModule, IEnumerable{string})"/> checks the value against the declaration.
/// </summary>
public sealed class ModuleParameter
{
    private ModuleParameter(string name, ModuleParameterKind kind, string description, object defaultValue, double minimum, double maximum)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"Parameter name '{name}' must be lower-case letters, digits and dashes, starting with a letter (e.g. 'field', 'grass-growth').", nameof(name));
        }

        Name = name;
        Kind = kind;
        Description = description;
        DefaultValue = defaultValue;
        Minimum = minimum;
        Maximum = maximum;
    }

    /// <summary>The name used in <c>--param NAME=VALUE</c>: lower-case letters, digits and dashes.</summary>
    public string Name { get; }

    /// <summary>The kind of value it takes.</summary>
    public ModuleParameterKind Kind { get; }

    /// <summary>One line saying what it changes, for help and error messages.</summary>
    public string Description { get; }

    /// <summary>The value when the run does not set it: a <see cref="long"/>, <see cref="double"/> or <see cref="bool"/>.</summary>
    public object DefaultValue { get; }

    /// <summary>The smallest allowed value (whole numbers and numbers).</summary>
    public double Minimum { get; }

    /// <summary>The largest allowed value (whole numbers and numbers).</summary>
    public double Maximum { get; }

    /// <summary>Declares a whole-number parameter from <paramref name="minimum"/> to <paramref name="maximum"/>, both included.</summary>
    /// <returns>The declaration.</returns>
    public static ModuleParameter WholeNumber(string name, long defaultValue, long minimum, long maximum, string description)
    {
        CheckBounds(name, defaultValue, minimum, maximum);
        return new ModuleParameter(name, ModuleParameterKind.WholeNumber, description, defaultValue, minimum, maximum);
    }

    /// <summary>Declares a decimal parameter from <paramref name="minimum"/> to <paramref name="maximum"/>, both included.</summary>
    /// <returns>The declaration.</returns>
    /// <remarks>
    /// A default (and bound) that is a <see cref="float"/> widened (a module's float constant, passed as it is) is taken as the
    /// number it was written as: <c>-9.81f</c> is the default -9.81, not -9.8100004196167. Otherwise the default and
    /// <c>--param gravity=-9.81</c> would be two numbers, shown and recorded (in a checkpoint's run identity) apart,
    /// although a module that narrows them back to float computes the same with both.
    /// </remarks>
    public static ModuleParameter Number(string name, double defaultValue, double minimum, double maximum, string description)
    {
        // The bounds too: a float default on a float bound stays on it.
        (defaultValue, minimum, maximum) = (AsWritten(defaultValue), AsWritten(minimum), AsWritten(maximum));
        CheckBounds(name, defaultValue, minimum, maximum);
        return new ModuleParameter(name, ModuleParameterKind.Number, description, defaultValue, minimum, maximum);
    }

    /// <summary>Declares a <c>true</c>/<c>false</c> parameter.</summary>
    /// <returns>The declaration.</returns>
    public static ModuleParameter Flag(string name, bool defaultValue, string description) =>
        new(name, ModuleParameterKind.Flag, description, defaultValue, 0, 1);

    /// <summary>How the parameter reads in a list: <c>field (whole number, default 256)</c>.</summary>
    /// <returns>The name, kind and default.</returns>
    public override string ToString() => $"{Name} ({KindName}, default {Format(DefaultValue)})";

    /// <summary>
    /// What a valid value is, completing "NAME is ..." or "--NAME takes ...": <c>a whole number from 8 to 4096</c>. For a
    /// program that maps parameters to options of its own and words their errors itself.
    /// </summary>
    public string Expectation => Kind switch
    {
        ModuleParameterKind.WholeNumber => $"a whole number from {Format((long)Minimum)} to {Format((long)Maximum)}",
        ModuleParameterKind.Number => $"a number from {Format(Minimum)} to {Format(Maximum)}",
        _ => "true or false",
    };

    /// <summary>Reads <paramref name="text"/> as this parameter's value, or returns false if it is not a valid one.</summary>
    internal bool TryParse(string text, out object value)
    {
        value = DefaultValue;
        switch (Kind)
        {
            case ModuleParameterKind.WholeNumber:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) && whole >= (long)Minimum && whole <= (long)Maximum)
                {
                    value = whole;
                    return true;
                }

                return false;
            case ModuleParameterKind.Number:
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= Minimum && number <= Maximum)
                {
                    value = number;
                    return true;
                }

                return false;
            default:
                if (bool.TryParse(text, out var flag))
                {
                    value = flag;
                    return true;
                }

                return false;
        }
    }

    private string KindName => Kind switch
    {
        ModuleParameterKind.WholeNumber => "whole number",
        ModuleParameterKind.Number => "number",
        _ => "true/false",
    };

    /// <summary>A <see cref="float"/> widened to double, as the number it was written as (-9.81f: -9.81); any other value as it is.</summary>
    internal static double AsWritten(double value)
    {
        var single = (float)value;
        return float.IsFinite(single) && (double)single == value
            ? double.Parse(single.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture)
            : value;
    }

    private static string Format(object value) => value switch
    {
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void CheckBounds<T>(string name, T defaultValue, T minimum, T maximum)
        where T : IComparable<T>
    {
        if (minimum.CompareTo(maximum) > 0 || defaultValue.CompareTo(minimum) < 0 || defaultValue.CompareTo(maximum) > 0)
        {
            throw new ArgumentException($"Parameter '{name}': the default {Format(defaultValue)} must lie in {Format(minimum)}..{Format(maximum)}.", nameof(defaultValue));
        }
    }

    private static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name) || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
