using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using SimHost.Layout.Components;
using SimHost.Layout.Segments;

namespace SimHost.Host.Persistence;

/// <summary>
/// The manifest of a checkpoint: UTF-8 JSON describing the run, the simulation, the components, the archetypes and
/// every file with its length and XxHash128, followed by one last line <c>xxh128 HEX</c> that hashes every byte before
/// it. Written after every file it lists; a reader trusts nothing of a checkpoint before this hash and then each
/// file's hash check out. Everything not in the segment files lives here (docs/checkpoints.md lists the fields).
/// </summary>
internal sealed partial record CheckpointManifest
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
            json.WriteNumber("segmentFormatVersion", SegmentFormat.Version);
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
}
