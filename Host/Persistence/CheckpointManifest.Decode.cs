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
        const string Top = "";
        if (root.ValueKind != JsonValueKind.Object || ManifestJson.String(root, Top, "format") != "simhost-checkpoint")
        {
            throw new FormatException("'format' is not simhost-checkpoint");
        }

        var version = ManifestJson.Int32(root, Top, "formatVersion");
        if (version != FormatVersion)
        {
            throw new CheckpointException(CheckpointError.UnsupportedVersion, CheckpointFileNames.Manifest, $"checkpoint format version {version}, this build reads version {FormatVersion}");
        }

        var segmentVersion = ManifestJson.Int64(root, Top, "segmentFormatVersion");
        if (segmentVersion != SegmentFormat.Version)
        {
            throw new CheckpointException(CheckpointError.UnsupportedVersion, CheckpointFileNames.Manifest, $"segment format version {segmentVersion}, this build reads version {SegmentFormat.Version}");
        }

        var run = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in ManifestJson.Object(root, Top, "run").EnumerateObject())
        {
            run[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : throw new FormatException($"'run.{property.Name}' is not a string");
        }

        var changeTick = ManifestJson.UInt32(root, Top, "changeTick");
        var simulation = ManifestJson.TryMember(root, "simulation", out var sim) ? ReadSimulation(sim) : null;
        var components = ManifestJson.Array(root, Top, "components").Select(static c => ReadComponent(c.Element, c.Path)).ToList();
        var archetypes = ManifestJson.Array(root, Top, "archetypes").Select(a => ReadArchetype(a.Element, a.Path, components.Count)).ToList();
        var files = ManifestJson.Array(root, Top, "files").Select(static f => ReadFile(f.Element, f.Path)).ToList();

        // What the manifest says twice must agree: a hand-edited manifest, rehashed, must not describe another world.
        var layoutHash = ManifestJson.HexUInt64(root, Top, "layoutHash");
        var combined = CombinedLayoutHash(components);
        if (layoutHash != combined)
        {
            throw new FormatException($"'layoutHash' is {layoutHash:x16}, the components' layouts give {combined:x16}");
        }

        var entityCount = ManifestJson.Int64(root, Top, "entityCount");
        var rows = archetypes.Sum(static a => (long)a.Rows);
        if (entityCount != rows)
        {
            throw new FormatException($"'entityCount' is {entityCount}, the archetypes' rows add up to {rows}");
        }

        return new CheckpointManifest
        {
            Version = version,
            LayoutHash = layoutHash,
            ChangeTick = changeTick,
            Slots = ManifestJson.Int32(root, Top, "slots"),
            FreeSlotCount = ManifestJson.Int32(root, Top, "freeSlots"),
            Components = [.. components],
            Archetypes = [.. archetypes],
            Simulation = simulation,
            Run = run,
            Files = [.. files],
        };
    }

    private static SimulationImage ReadSimulation(JsonElement sim)
    {
        const string Path = "simulation";
        var cursors = new List<SystemCursorImage>();
        foreach (var (system, at) in ManifestJson.Array(sim, Path, "systems"))
        {
            // No tick is checked against the world's 'changeTick': the 32-bit clock wraps (docs/contract.md).
            cursors.Add(new SystemCursorImage(
                ManifestJson.String(system, at, "name"),
                ManifestJson.UInt32(system, at, "sinceTick"),
                ManifestJson.UInt32(system, at, "lastRunTick"),
                ManifestJson.UInt32(system, at, "seenThrough")));
        }

        var frameCount = ManifestJson.Int64(sim, Path, "frameCount");
        if (frameCount < 0)
        {
            throw new FormatException("simulation.frameCount is negative");
        }

        return new SimulationImage(frameCount, ManifestJson.Double(sim, Path, "timeSeconds"), cursors);
    }

    private static ComponentImage ReadComponent(JsonElement component, string at)
    {
        var fields = new List<FieldLayout>();
        foreach (var (field, fieldAt) in ManifestJson.Array(component, at, "fields"))
        {
            if (!ScalarKindExtensions.TryParseWireName(ManifestJson.String(field, fieldAt, "type"), out var kind))
            {
                throw new FormatException($"'{fieldAt}.type' is not a scalar type");
            }

            fields.Add(new FieldLayout(ManifestJson.String(field, fieldAt, "path"), kind, ManifestJson.Int32(field, fieldAt, "offset")));
        }

        var size = ManifestJson.Int32(component, at, "sizeBytes");
        var value = ManifestJson.TryMember(component, "default", out var d) ? ManifestJson.Base64(d, $"{at}.default") : null;
        if (size is < 1 or > 65536 || (value is not null && value.Length != size))
        {
            throw new FormatException($"'{at}': its size or default value is out of range");
        }

        return new ComponentImage(ManifestJson.String(component, at, "name"), size, ManifestJson.HexUInt64(component, at, "layoutHash"), fields, value);
    }

    private static ManifestArchetype ReadArchetype(JsonElement archetype, string at, int componentCount)
    {
        var indexes = ManifestJson.Array(archetype, at, "components").Select(static e => ManifestJson.Int32(e.Element, e.Path)).ToArray();
        var ticks = ManifestJson.Array(archetype, at, "lastChangedTicks").Select(static e => ManifestJson.UInt32(e.Element, e.Path)).ToArray();
        if (ticks.Length != indexes.Length || indexes.Any(i => (uint)i >= (uint)componentCount))
        {
            throw new FormatException($"'{at}': its components or ticks do not match the component list");
        }

        return new ManifestArchetype(ManifestJson.String(archetype, at, "file"), indexes, ManifestJson.Int32(archetype, at, "rows"), ticks);
    }

    private static ManifestFile ReadFile(JsonElement file, string at)
    {
        var fileName = ManifestJson.String(file, at, "name");
        if (fileName.Length == 0 || fileName.Contains('/', StringComparison.Ordinal) || fileName.StartsWith('.') || fileName == CheckpointFileNames.Manifest)
        {
            throw new FormatException($"file name '{fileName}' is not a plain file name inside the checkpoint");
        }

        return new ManifestFile(fileName, ManifestJson.Int64(file, at, "lengthBytes"), ManifestJson.HexUInt128(file, at, "xxh128"));
    }
}
