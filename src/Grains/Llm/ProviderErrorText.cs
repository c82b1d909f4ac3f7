using System.Text;
using System.Text.Json;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Builds the tenant-facing text of provider errors: the provider's own JSON error message,
/// bounded to one short line, never the key, never a non-JSON body (which could be any page the
/// URL leads to).
/// </summary>
internal static class ProviderErrorText
{
    /// <summary>The longest error text a tenant sees; longer texts are cut with an ellipsis.</summary>
    public const int MaxLength = 400;

    /// <summary>
    /// The error message in a JSON error body: <c>{"error":{"message":…}}</c> (OpenAI and
    /// Anthropic), <c>{"error":"…"}</c> or <c>{"message":…}</c>; null for anything else.
    /// </summary>
    public static string? FromBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The message of an error object (the value of <c>error</c>, or the root itself).</summary>
    public static string? FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                return error.GetString();
            }

            if (error.ValueKind == JsonValueKind.Object)
            {
                var message = GetString(error, "message");
                var type = GetString(error, "type");
                return (type, message) switch
                {
                    (not null, not null) => $"{type}: {message}",
                    (null, not null) => message,
                    (not null, null) => type,
                    _ => null,
                };
            }
        }

        return GetString(element, "message");
    }

    /// <summary>Removes every occurrence of the key (and its non-trivial prefixes are never printed by us).</summary>
    public static string Redact(string text, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey) || apiKey.Length < 4)
        {
            return text;
        }

        return text.Replace(apiKey, "***", StringComparison.Ordinal);
    }

    /// <summary>One line (control characters become spaces) of at most <see cref="MaxLength"/> characters. Redact before bounding.</summary>
    public static string Bound(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        foreach (var c in text)
        {
            if (builder.Length >= MaxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
