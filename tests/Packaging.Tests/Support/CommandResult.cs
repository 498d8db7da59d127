namespace SimHost.Tests.Packaging.Support;

/// <summary>How a command ended: its exit code and everything it wrote.</summary>
internal sealed record CommandResult(string Name, int ExitCode, string Output)
{
    /// <summary>The value of the last <c>checksum: HEX</c> line, or null when there is none.</summary>
    public string? Checksum =>
        Output.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("checksum: ", StringComparison.Ordinal))
            .Select(line => line["checksum: ".Length..].Trim()).LastOrDefault();
}
