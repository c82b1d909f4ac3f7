using System.Text;
using System.Text.Json;

namespace OpenClaw.Cli;

/// <summary>One line from an RFC 9457 problem-details body: its detail (or title) and each field error.</summary>
public static class ProblemText
{
    private const int MaxLength = 1000;

    public static string? Describe(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var text = new StringBuilder();
            if ((Text(root, "detail") ?? Text(root, "title")) is { } headline) text.Append(headline);
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    var messages = field.Value.ValueKind == JsonValueKind.Array
                        ? string.Join(" ", field.Value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()))
                        : field.Value.ToString();
                    if (text.Length > 0) text.Append("; ");
                    text.Append(field.Name).Append(": ").Append(messages);
                }
            }
            if (text.Length == 0) return null;
            var line = text.ToString().ReplaceLineEndings(" ");
            return line.Length > MaxLength ? line[..MaxLength] + "…" : line;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
