namespace SimHost.Host.Modules;

/// <summary>What kind of value a <see cref="ModuleParameter"/> takes.</summary>
public enum ModuleParameterKind
{
    /// <summary>A whole number (a 64-bit integer), within the parameter's bounds.</summary>
    WholeNumber,

    /// <summary>A finite decimal number, within the parameter's bounds.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Flag,
}
