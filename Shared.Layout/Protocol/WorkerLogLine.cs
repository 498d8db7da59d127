using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SimHost.Layout.Protocol;

/// <summary>
/// Encodes a <see cref="WorkerLogEvent"/> as one line of compact JSON, and decodes such a line back (docs/protocol.md,
/// "Worker output"). Written with <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/>: no
/// reflection, nothing to trim.
/// </summary>
/// <remarks>
/// The shape: <c>{"t":"2026-12-02T01:58:27.1234567+00:00","l":"Warning","c":"SimHost.Worker.JobExecutor","e":123,
/// "m":"rendered message","mt":"message {Template}","p":{"Template":"..."},"x":"exception text"}</c>; <c>t</c>,
/// <c>l</c> and <c>m</c> are required, the rest optional, unknown members ignored.
/// </remarks>
internal static class WorkerLogLine
{
    /// <summary>
    /// The longest line the host decodes or forwards whole (characters). The encoder keeps every event within it,
    /// shortening the message and exception and dropping the template and properties if it must.
    /// </summary>
    public const int MaxLineChars = 64 * 1024;

    /// <summary>What a field shortened to fit <see cref="MaxLineChars"/> keeps of its text.</summary>
    internal const int ShortenedFieldChars = 3 * 1024;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        // Readable in a raw log: non-ASCII text stays as it is; quotes, backslashes and control characters (newlines
        // of a stack trace included) are still escaped, so the event stays one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly JsonDocumentOptions s_documentOptions = new() { MaxDepth = 16 };

    /// <summary>The event as one line of JSON (no newline), at most <see cref="MaxLineChars"/> characters.</summary>
    public static string Encode(WorkerLogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var line = Write(logEvent);
        if (line.Length <= MaxLineChars)
        {
            return line;
        }

        // Escaping can grow a character to six (\u0001): three fields of 3 Ki characters, all escaped, are 54 Ki
        // characters, inside the line with room for the time, level and event id.
        return Write(logEvent with
        {
            Category = Shorten(logEvent.Category),
            Message = Shorten(logEvent.Message),
            Template = null,
            Properties = [],
            Exception = logEvent.Exception is null ? null : Shorten(logEvent.Exception),
        });
    }

    /// <summary>
    /// Decodes <paramref name="line"/>; false for anything that is not one event of this shape (a job's own output, the
    /// runtime's crash text, malformed or oversized JSON). Never throws.
    /// </summary>
    public static bool TryDecode(string? line, out WorkerLogEvent? logEvent)
    {
        logEvent = null;
        if (line is null || line.Length is 0 or > MaxLineChars || line[0] != '{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line, s_documentOptions);
            logEvent = Read(document.RootElement);
            return logEvent is not null;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            // Not JSON, or not well-formed text: the caller logs the line as it is.
            return false;
        }
    }

    private static string Shorten(string text) =>
        text.Length <= ShortenedFieldChars ? text : string.Concat(text.AsSpan(0, ShortenedFieldChars), "… (shortened)");

    private static string Write(WorkerLogEvent logEvent)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("t", logEvent.Timestamp);
            writer.WriteString("l", LevelName(logEvent.Level));
            writer.WriteString("c", logEvent.Category);
            if (logEvent.EventId != 0)
            {
                writer.WriteNumber("e", logEvent.EventId);
            }

            writer.WriteString("m", logEvent.Message);
            if (logEvent.Template is not null)
            {
                writer.WriteString("mt", logEvent.Template);
            }

            if (logEvent.Properties.Count > 0)
            {
                writer.WriteStartObject("p");
                foreach (var (name, value) in logEvent.Properties)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, value);
                }

                writer.WriteEndObject();
            }

            if (logEvent.Exception is not null)
            {
                writer.WriteString("x", logEvent.Exception);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong whole:
                writer.WriteNumberValue(whole);
                break;
            case float or double when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case IFormattable formattable:
                // Enums, NaN, dates, ids: their invariant text (JSON has no NaN).
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    private static WorkerLogEvent? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("t", out var time) || time.ValueKind != JsonValueKind.String || !time.TryGetDateTimeOffset(out var timestamp)
            || !root.TryGetProperty("l", out var levelName) || levelName.ValueKind != JsonValueKind.String || ParseLevel(levelName.GetString()) is not { } level
            || !root.TryGetProperty("m", out var message) || message.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var category = root.TryGetProperty("c", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : string.Empty;
        var eventId = root.TryGetProperty("e", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var id) ? id : 0;
        var template = root.TryGetProperty("mt", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
        var exception = root.TryGetProperty("x", out var x) && x.ValueKind == JsonValueKind.String ? x.GetString() : null;
        var properties = new List<KeyValuePair<string, object?>>();
        if (root.TryGetProperty("p", out var p) && p.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in p.EnumerateObject())
            {
                properties.Add(new(property.Name, ReadValue(property.Value)));
            }
        }

        return new WorkerLogEvent(timestamp, level, category, eventId, message.GetString()!, template, properties, exception);
    }

    private static object? ReadValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
        JsonValueKind.Number when value.TryGetUInt64(out var large) => large,
        JsonValueKind.Number => value.GetDouble(),

        // Objects and arrays are not written by the encoder; another writer's are kept as their JSON text.
        _ => value.GetRawText(),
    };

    private static string LevelName(WorkerLogLevel level) => level switch
    {
        WorkerLogLevel.Verbose => "Verbose",
        WorkerLogLevel.Debug => "Debug",
        WorkerLogLevel.Information => "Information",
        WorkerLogLevel.Warning => "Warning",
        WorkerLogLevel.Error => "Error",
        WorkerLogLevel.Fatal => "Fatal",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a worker log level"),
    };

    private static WorkerLogLevel? ParseLevel(string? name) => name switch
    {
        "Verbose" => WorkerLogLevel.Verbose,
        "Debug" => WorkerLogLevel.Debug,
        "Information" => WorkerLogLevel.Information,
        "Warning" => WorkerLogLevel.Warning,
        "Error" => WorkerLogLevel.Error,
        "Fatal" => WorkerLogLevel.Fatal,
        _ => null,
    };
}
