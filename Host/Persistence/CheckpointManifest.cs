using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using SimHost.Layout.Components;

namespace SimHost.Host.Persistence;

/// <summary>
/// The manifest of a checkpoint: UTF-8 JSON describing the run, the simulation, the components, the archetypes and
/// every file with its length and XxHash128, followed by one last line <c>xxh128 HEX</c> that hashes every byte before
/// it. Written after every file it lists; a reader trusts nothing of a checkpoint before this hash and then each
/// file's hash check out. Everything not in the segment files lives here (docs/checkpoints.md lists the fields).
/// </summary>
internal sealed class CheckpointManifest
{
    /// <summary>The version of the checkpoint format this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string HashLinePrefix = "xxh128 ";

    public required int Version { get; init; }

    public required ulong LayoutHash { get; init; }

    public required uint ChangeTick { get; init; }

    public required int Slots { get; init; }

    public required int FreeSlotCount { get; init; }

    public required ComponentImage[] Components { get; init; }

    public required ManifestArchetype[] Archetypes { get; init; }

    public required SimulationImage? Simulation { get; init; }

    public required IReadOnlyDictionary<string, string> Run { get; init; }

    public required ManifestFile[] Files { get; init; }

    /// <summary>The live entities the manifest says the archetypes hold.</summary>
    public long EntityCount => Archetypes.Sum(static a => (long)a.Rows);

    /// <summary>
    /// FNV-1a 64 over each component's name, size and layout hash in name order: one number that differs when any
    /// component of the world differs.
    /// </summary>
    public static ulong CombinedLayoutHash(IEnumerable<ComponentImage> components)
    {
        var hash = 14695981039346656037UL;
        foreach (var component in components.OrderBy(static c => c.Name, StringComparer.Ordinal))
        {
            foreach (var b in Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{component.Name}/{component.SizeBytes}/{component.LayoutHash:x16};")))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }
        }

        return hash;
    }

    /// <summary>Formats a 128-bit hash as 32 lowercase hex digits.</summary>
    public static string Hex(UInt128 hash) => hash.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>The manifest's bytes: the JSON, then the hash line.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", "simhost-checkpoint");
            json.WriteNumber("formatVersion", Version);
            json.WriteNumber("segmentFormatVersion", 1);
            json.WriteString("layoutHash", LayoutHash.ToString("x16", CultureInfo.InvariantCulture));
            json.WriteNumber("changeTick", ChangeTick);
            json.WriteNumber("entityCount", EntityCount);
            json.WriteNumber("slots", Slots);
            json.WriteNumber("freeSlots", FreeSlotCount);
            json.WriteStartObject("run");
            foreach (var (name, value) in Run.OrderBy(static p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            if (Simulation is { } simulation)
            {
                json.WriteStartObject("simulation");
                json.WriteNumber("frameCount", simulation.FrameCount);
                json.WriteNumber("timeSeconds", simulation.TimeSeconds);
                json.WriteStartArray("systems");
                foreach (var cursor in simulation.Cursors)
                {
                    json.WriteStartObject();
                    json.WriteString("name", cursor.System);
                    json.WriteNumber("sinceTick", cursor.SinceTick);
                    json.WriteNumber("lastRunTick", cursor.LastRunTick);
                    json.WriteNumber("seenThrough", cursor.SeenThrough);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteStartArray("components");
            foreach (var component in Components)
            {
                json.WriteStartObject();
                json.WriteString("name", component.Name);
                json.WriteNumber("sizeBytes", component.SizeBytes);
                json.WriteString("layoutHash", component.LayoutHash.ToString("x16", CultureInfo.InvariantCulture));
                json.WriteStartArray("fields");
                foreach (var field in component.Fields)
                {
                    json.WriteStartObject();
                    json.WriteString("path", field.Path);
                    json.WriteString("type", field.Kind.WireName());
                    json.WriteNumber("offset", field.OffsetBytes);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                if (component.DefaultValue is { } value)
                {
                    json.WriteBase64String("default", value);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("archetypes");
            foreach (var archetype in Archetypes)
            {
                json.WriteStartObject();
                json.WriteString("file", archetype.File);
                json.WriteNumber("rows", archetype.Rows);
                json.WriteStartArray("components");
                foreach (var component in archetype.Components)
                {
                    json.WriteNumberValue(component);
                }

                json.WriteEndArray();
                json.WriteStartArray("lastChangedTicks");
                foreach (var tick in archetype.LastChangedTicks)
                {
                    json.WriteNumberValue(tick);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("files");
            foreach (var file in Files)
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteNumber("lengthBytes", file.LengthBytes);
                json.WriteString("xxh128", Hex(file.Hash));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var body = buffer.WrittenSpan;
        var hashLine = Encoding.ASCII.GetBytes($"\n{HashLinePrefix}{Hex(XxHash128.HashToUInt128(Append(body, (byte)'\n')))}\n");
        return [.. body, .. hashLine];
    }

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

            simulation = new SimulationImage(sim.GetProperty("frameCount").GetInt64(), sim.GetProperty("timeSeconds").GetDouble(), cursors);
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
