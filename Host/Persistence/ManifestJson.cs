using System.Globalization;
using System.Text.Json;

namespace SimHost.Host.Persistence;

/// <summary>
/// Reads the manifest's JSON fields by name, so that a field that is missing or of the wrong kind is refused with its
/// path (<c>'components[2].sizeBytes' is missing</c>), not with a dictionary's or a reader's message that names none.
/// </summary>
internal static class ManifestJson
{
    /// <summary>The member <paramref name="name"/> of <paramref name="parent"/>, found at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">It is missing, or <paramref name="parent"/> is not an object.</exception>
    public static JsonElement Member(JsonElement parent, string path, string name)
    {
        var full = Join(path, name);
        return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"'{full}' is missing");
    }

    /// <summary>Whether <paramref name="parent"/> has the optional member <paramref name="name"/>.</summary>
    public static bool TryMember(JsonElement parent, string name, out JsonElement value)
    {
        value = default;
        return parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out value);
    }

    /// <summary>The array <paramref name="name"/>, each element with its path.</summary>
    public static IEnumerable<(JsonElement Element, string Path)> Array(JsonElement parent, string path, string name)
    {
        var full = Join(path, name);
        var array = Member(parent, path, name);
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"'{full}' is not an array");
        }

        return array.EnumerateArray().Select((element, i) => (element, string.Create(CultureInfo.InvariantCulture, $"{full}[{i}]")));
    }

    /// <summary>The object <paramref name="name"/>.</summary>
    public static JsonElement Object(JsonElement parent, string path, string name)
    {
        var value = Member(parent, path, name);
        return value.ValueKind == JsonValueKind.Object ? value : throw new FormatException($"'{Join(path, name)}' is not an object");
    }

    /// <summary>The string member <paramref name="name"/>.</summary>
    public static string String(JsonElement parent, string path, string name) =>
        Member(parent, path, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : throw new FormatException($"'{Join(path, name)}' is not a string");

    /// <summary>The 32-bit integer member <paramref name="name"/>.</summary>
    public static int Int32(JsonElement parent, string path, string name) =>
        Member(parent, path, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : throw NotA(path, name, "32-bit integer");

    /// <summary>The 64-bit integer member <paramref name="name"/>.</summary>
    public static long Int64(JsonElement parent, string path, string name) =>
        Member(parent, path, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : throw NotA(path, name, "64-bit integer");

    /// <summary>The unsigned 32-bit integer member <paramref name="name"/>.</summary>
    public static uint UInt32(JsonElement parent, string path, string name) =>
        Member(parent, path, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetUInt32(out var number) ? number : throw NotA(path, name, "32-bit unsigned integer");

    /// <summary>An element of an array of unsigned 32-bit numbers, at <paramref name="path"/>.</summary>
    public static uint UInt32(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetUInt32(out var number) ? number : throw new FormatException($"'{path}' is not a 32-bit unsigned integer");

    /// <summary>An element of an array of 32-bit numbers, at <paramref name="path"/>.</summary>
    public static int Int32(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var number) ? number : throw new FormatException($"'{path}' is not a 32-bit integer");

    /// <summary>The number member <paramref name="name"/>.</summary>
    public static double Double(JsonElement parent, string path, string name) =>
        Member(parent, path, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out var number) ? number : throw NotA(path, name, "number");

    /// <summary>A string of hexadecimal digits, as the manifest writes hashes.</summary>
    public static ulong HexUInt64(JsonElement parent, string path, string name) =>
        ulong.TryParse(String(parent, path, name), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : throw NotA(path, name, "64-bit hexadecimal hash");

    /// <summary>A string of hexadecimal digits, as the manifest writes hashes.</summary>
    public static UInt128 HexUInt128(JsonElement parent, string path, string name) =>
        UInt128.TryParse(String(parent, path, name), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : throw NotA(path, name, "128-bit hexadecimal hash");

    /// <summary>A string of base64.</summary>
    public static byte[] Base64(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes) ? bytes : throw new FormatException($"'{path}' is not base64");

    private static FormatException NotA(string path, string name, string kind) => new($"'{Join(path, name)}' is not a {kind}");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
