using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SimHost.Host.Persistence;

namespace SimHost.Host.Inspecting;

/// <summary>Prints an <see cref="InspectionReport"/> for people (text) or tools (<c>--json</c>).</summary>
internal static class InspectionWriter
{
    // Indented, and with quotes and other HTML-sensitive characters left as they are ('\u0027' helps no tool reading a
    // terminal or a file): the output is never embedded in a web page.
    private static readonly JsonWriterOptions s_jsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The report as indented text, ending in a verdict line.</summary>
    public static string Text(InspectionReport report)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"{report.Kind} {report.Path}");
        foreach (var (directory, manifest) in report.Checkpoints)
        {
            text.AppendLine(invariant, $"checkpoint {Path.GetFileName(directory)}: format {manifest.Version}, {manifest.EntityCount} entities in {manifest.Archetypes.Length} archetypes, change tick {manifest.ChangeTick}, layout hash {manifest.LayoutHash:x16}");
            if (manifest.Simulation is { } simulation)
            {
                text.AppendLine(invariant, $"  simulation: frame {simulation.FrameCount}, time {simulation.TimeSeconds.ToString("R", invariant)} s, {simulation.Cursors.Count} systems");
            }

            if (manifest.Run.Count > 0)
            {
                text.AppendLine(invariant, $"  run: {string.Join(", ", manifest.Run.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => $"{p.Key} {p.Value}"))}");
            }

            text.AppendLine("  components:");
            foreach (var component in manifest.Components)
            {
                text.AppendLine(invariant, $"    {component.Name}: {component.SizeBytes} bytes, layout hash {component.LayoutHash:x16}{(component.DefaultValue is null ? string.Empty : ", default registered")}");
                foreach (var field in component.Fields)
                {
                    text.AppendLine(invariant, $"      {field}");
                }
            }

            text.AppendLine("  archetypes:");
            foreach (var archetype in manifest.Archetypes)
            {
                var names = archetype.Components.Select(i => ShortName(manifest.Components[i].Name));
                text.AppendLine(invariant, $"    {archetype.File}: {archetype.Rows} rows [{string.Join(", ", names)}]");
            }

            text.AppendLine("  files:");
            foreach (var file in manifest.Files)
            {
                text.AppendLine(invariant, $"    {file.Name}: {file.LengthBytes} bytes, xxh128 {CheckpointManifest.Hex(file.Hash)}");
            }
        }

        if (report.Segments.Count > 0)
        {
            text.AppendLine("segments:");
            foreach (var segment in report.Segments)
            {
                text.AppendLine(invariant, $"  {segment.File}: {segment.LengthBytes} bytes, {segment.RowCount} of {segment.RowCapacity} rows, frame {segment.FrameId}, combined layout hash {segment.CombinedLayoutHash:x16}");
                foreach (var column in segment.Columns)
                {
                    // The high bit of an id marks a second column of a component: in a checkpoint, its changed ticks (a
                    // layout of their own); in a live run's segment, the component's scratch copy (the same layout).
                    var flagged = (column.ComponentId & CheckpointSegment.TickColumnFlag) != 0;
                    var id = column.ComponentId & ~CheckpointSegment.TickColumnFlag;
                    var name = !flagged ? $"component {id}"
                        : column.LayoutHash == CheckpointSegment.TickColumnLayoutHash ? $"changed ticks of component {id}"
                        : $"component {id} (scratch copy)";
                    text.AppendLine(invariant, $"    column {name}: {column.ElementSizeBytes} bytes per row, layout hash {column.LayoutHash:x16}");
                }
            }
        }

        foreach (var removed in report.RemovedWhileInspected)
        {
            text.AppendLine(invariant, $"{removed}: removed while inspected (the run writing the folder keeps only its newest checkpoints)");
        }

        foreach (var problem in report.Problems)
        {
            text.AppendLine(invariant, $"FAILED {problem.File}: {problem.Rule}: {problem.Message}");
        }

        text.AppendLine(report.Problems.Count == 0
            ? string.Create(invariant, $"verified: every hash and header rule holds ({report.Segments.Count} segment files)")
            : string.Create(invariant, $"verified: {report.Problems.Count} {(report.Problems.Count == 1 ? "problem" : "problems")}"));
        return text.ToString();
    }

    /// <summary>
    /// The JSON for a path that cannot be inspected at all (missing, unreadable, of no known kind): <c>ok</c> false and
    /// the one-line <c>error</c> a tool would otherwise have to read from stderr.
    /// </summary>
    public static string JsonError(string path, string error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_jsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("path", path);
            json.WriteBoolean("ok", false);
            json.WriteString("error", error);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    /// <summary>The report as one JSON document.</summary>
    public static string Json(InspectionReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_jsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("path", report.Path);
            json.WriteString("kind", report.Kind);
            json.WriteBoolean("ok", report.Problems.Count == 0);
            json.WriteStartArray("checkpoints");
            foreach (var (directory, manifest) in report.Checkpoints)
            {
                json.WriteStartObject();
                json.WriteString("directory", directory);
                json.WritePropertyName("manifest");
                using (var document = JsonDocument.Parse(ManifestJson(manifest)))
                {
                    document.RootElement.WriteTo(json);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("segments");
            foreach (var segment in report.Segments)
            {
                json.WriteStartObject();
                json.WriteString("file", segment.File);
                json.WriteNumber("lengthBytes", segment.LengthBytes);
                json.WriteNumber("rowCount", segment.RowCount);
                json.WriteNumber("rowCapacity", segment.RowCapacity);
                json.WriteNumber("frameId", segment.FrameId);
                json.WriteString("combinedLayoutHash", segment.CombinedLayoutHash.ToString("x16", CultureInfo.InvariantCulture));
                json.WriteStartArray("columns");
                foreach (var column in segment.Columns)
                {
                    json.WriteStartObject();
                    json.WriteNumber("componentId", column.ComponentId);
                    json.WriteNumber("elementSizeBytes", column.ElementSizeBytes);
                    json.WriteString("layoutHash", column.LayoutHash.ToString("x16", CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("removedWhileInspected");
            foreach (var removed in report.RemovedWhileInspected)
            {
                json.WriteStringValue(removed);
            }

            json.WriteEndArray();
            json.WriteStartArray("problems");
            foreach (var problem in report.Problems)
            {
                json.WriteStartObject();
                json.WriteString("file", problem.File);
                json.WriteString("rule", problem.Rule);
                json.WriteString("message", problem.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    // The manifest's JSON part: everything before its hash line.
    private static byte[] ManifestJson(CheckpointManifest manifest)
    {
        var bytes = manifest.Encode();
        var end = bytes.AsSpan(0, bytes.Length - 1).LastIndexOf((byte)'\n');
        return bytes[..end];
    }

    private static string ShortName(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..];
}
