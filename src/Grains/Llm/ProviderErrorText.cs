using System.Text;
using System.Text.Json;

namespace OpenClaw.Grains.Llm;

/// <summary>Builds the tenant-facing text of provider errors: the provider's own message, never the key.</summary>
internal static class ProviderErrorText
{
    private const int MaxSnippetLength = 300;

    /// <summary>
    /// The error message in an error body: <c>{"error":{"message":…}}</c> (OpenAI and Anthropic),
    /// <c>{"error":"…"}</c> or <c>{"message":…}</c>; otherwise a short single-line snippet of the body.
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
            if (FromJson(document.RootElement) is { } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // not JSON: fall through to the snippet
        }

        return Snippet(body);
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

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Snippet(string body)
    {
        var builder = new StringBuilder(Math.Min(body.Length, MaxSnippetLength + 1));
        foreach (var c in body)
        {
            if (builder.Length >= MaxSnippetLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
