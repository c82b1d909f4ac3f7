using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenClaw.Cli;

/// <summary>Small readers and formatters for the JSON the admin API returns.</summary>
public static class Format
{
    public static string Str(JsonNode? node, string name) => node?[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : node?[name]?.ToString() ?? "";

    public static double Num(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<double>(out var d) ? d : 0;

    public static long Long(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<long>(out var l) ? l : (long)Num(node, name);

    public static JsonArray Array(JsonNode? node, string name) => node?[name] as JsonArray ?? [];

    public static string Bytes(long bytes) =>
        bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.0} GB"
        : bytes >= 1L << 20 ? $"{bytes / (double)(1L << 20):0.0} MB"
        : bytes >= 1L << 10 ? $"{bytes / (double)(1L << 10):0.0} KB"
        : $"{bytes} B";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Time(JsonNode? node, string name) =>
        DateTimeOffset.TryParse(Str(node, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : "-";

    public static string Escape(string text) => Spectre.Console.Markup.Escape(text);

    /// <summary>A path segment: tenant and token ids are escaped, never spliced raw into the URL.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToArray();
        return present.Length == 0 ? "" : "?" + string.Join('&', present);
    }
}
