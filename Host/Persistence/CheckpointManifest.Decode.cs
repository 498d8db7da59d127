using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using SimHost.Layout.Components;
using SimHost.Layout.Segments;

namespace SimHost.Host.Persistence;

/// <summary>The reading half of <see cref="CheckpointManifest"/>: the hash line checked, then the JSON decoded.</summary>
internal sealed partial record CheckpointManifest
{
    /// <summary>Checks the hash line, then decodes the JSON; every failure names the rule.</summary>
    /// <exception cref="CheckpointException">The manifest is damaged, or not one this build reads.</exception>
    public static CheckpointManifest Decode(ReadOnlySpan<byte> bytes)
    {
        var name = CheckpointFileNames.Manifest;
        var trimmed = bytes.Length > 0 && bytes[^1] == (byte)'\n' ? bytes[..^1] : bytes;
        var lineStart = trimmed.LastIndexOf((byte)'\n') + 1;
        var line = Encoding.ASCII.GetString(trimmed[lineStart..]);
        if (lineStart == 0 || bytes[^1] != (byte)'\n' || !line.StartsWith(HashLinePrefix, StringComparison.Ordinal)
            || !UInt128.TryParse(line.AsSpan(HashLinePrefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var stored)
            || line.Length != HashLinePrefix.Length + 32)
        {
            throw new CheckpointException(CheckpointError.ManifestHashMismatch, name, "the last line is not 'xxh128 <32 hex digits>' (a truncated or damaged manifest)");
        }

        var actual = XxHash128.HashToUInt128(bytes[..lineStart]);
        if (actual != stored)
        {
            throw new CheckpointException(CheckpointError.ManifestHashMismatch, name, $"xxh128 of the manifest is {Hex(actual)}, its last line says {Hex(stored)}");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes[..lineStart].ToArray());
            return Read(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or ComponentLayoutException)
        {
            throw new CheckpointException(CheckpointError.BadManifest, name, $"not a valid checkpoint manifest: {exception.Message.ReplaceLineEndings(" ")}", exception);
        }
    }

    private static byte[] Append(ReadOnlySpan<byte> body, byte last) => [.. body, last];

    private static CheckpointManifest Read(JsonElement root)
    {
        if (root.GetProperty("format").GetString() != "simhost-checkpoint")
        {
            throw new FormatException("'format' is not simhost-checkpoint");
        }

        var version = root.GetProperty("formatVersion").GetInt32();
        if (version != FormatVersion)
        {
            throw new CheckpointException(CheckpointError.UnsupportedVersion, CheckpointFileNames.Manifest, $"checkpoint format version {version}, this build reads version {FormatVersion}");
        }

        var segmentVersion = root.GetProperty("segmentFormatVersion").GetInt64();
        if (segmentVersion != SegmentFormat.Version)
        {
            throw new CheckpointException(CheckpointError.UnsupportedVersion, CheckpointFileNames.Manifest, $"segment format version {segmentVersion}, this build reads version {SegmentFormat.Version}");
        }

        var run = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.GetProperty("run").EnumerateObject())
        {
            run[property.Name] = property.Value.GetString() ?? throw new FormatException($"run.{property.Name} is null");
        }

        SimulationImage? simulation = null;
        if (root.TryGetProperty("simulation", out var sim))
        {
            var cursors = new List<SystemCursorImage>();
            foreach (var system in sim.GetProperty("systems").EnumerateArray())
            {
                cursors.Add(new SystemCursorImage(
                    system.GetProperty("name").GetString() ?? throw new FormatException("a system has no name"),
                    system.GetProperty("sinceTick").GetUInt32(),
                    system.GetProperty("lastRunTick").GetUInt32(),
                    system.GetProperty("seenThrough").GetUInt32()));
            }

            var frameCount = sim.GetProperty("frameCount").GetInt64();
            if (frameCount < 0)
            {
                throw new FormatException("simulation.frameCount is negative");
            }

            simulation = new SimulationImage(frameCount, sim.GetProperty("timeSeconds").GetDouble(), cursors);
        }

        var components = new List<ComponentImage>();
        foreach (var component in root.GetProperty("components").EnumerateArray())
        {
            var fields = new List<FieldLayout>();
            foreach (var field in component.GetProperty("fields").EnumerateArray())
            {
                if (!ScalarKindExtensions.TryParseWireName(field.GetProperty("type").GetString(), out var kind))
                {
                    throw new FormatException("a field has an unknown scalar type");
                }

                fields.Add(new FieldLayout(field.GetProperty("path").GetString() ?? string.Empty, kind, field.GetProperty("offset").GetInt32()));
            }

            var size = component.GetProperty("sizeBytes").GetInt32();
            var value = component.TryGetProperty("default", out var d) ? d.GetBytesFromBase64() : null;
            if (size is < 1 or > 65536 || (value is not null && value.Length != size))
            {
                throw new FormatException("a component's size or default value is out of range");
            }

            components.Add(new ComponentImage(
                component.GetProperty("name").GetString() ?? throw new FormatException("a component has no name"),
                size,
                ulong.Parse(component.GetProperty("layoutHash").GetString() ?? string.Empty, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                fields,
                value));
        }

        var archetypes = new List<ManifestArchetype>();
        foreach (var archetype in root.GetProperty("archetypes").EnumerateArray())
        {
            var indexes = archetype.GetProperty("components").EnumerateArray().Select(static e => e.GetInt32()).ToArray();
            var ticks = archetype.GetProperty("lastChangedTicks").EnumerateArray().Select(static e => e.GetUInt32()).ToArray();
            if (ticks.Length != indexes.Length || indexes.Any(i => (uint)i >= (uint)components.Count))
            {
                throw new FormatException("an archetype's components or ticks do not match the component list");
            }

            archetypes.Add(new ManifestArchetype(archetype.GetProperty("file").GetString() ?? string.Empty, indexes, archetype.GetProperty("rows").GetInt32(), ticks));
        }

        var files = new List<ManifestFile>();
        foreach (var file in root.GetProperty("files").EnumerateArray())
        {
            var fileName = file.GetProperty("name").GetString() ?? string.Empty;
            if (fileName.Length == 0 || fileName.Contains('/', StringComparison.Ordinal) || fileName.StartsWith('.') || fileName == CheckpointFileNames.Manifest)
            {
                throw new FormatException($"file name '{fileName}' is not a plain file name inside the checkpoint");
            }

            files.Add(new ManifestFile(
                fileName,
                file.GetProperty("lengthBytes").GetInt64(),
                UInt128.Parse(file.GetProperty("xxh128").GetString() ?? string.Empty, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)));
        }

        return new CheckpointManifest
        {
            Version = version,
            LayoutHash = ulong.Parse(root.GetProperty("layoutHash").GetString() ?? string.Empty, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            ChangeTick = root.GetProperty("changeTick").GetUInt32(),
            Slots = root.GetProperty("slots").GetInt32(),
            FreeSlotCount = root.GetProperty("freeSlots").GetInt32(),
            Components = [.. components],
            Archetypes = [.. archetypes],
            Simulation = simulation,
            Run = run,
            Files = [.. files],
        };
    }
}
