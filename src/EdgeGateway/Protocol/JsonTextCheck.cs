using System.Text.Json;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// Reads a client frame once, before anything is taken out of it, and names the first problem
/// System.Text.Json would otherwise throw on later: malformed JSON, invalid UTF-8, nesting deeper
/// than <see cref="ProtocolJson.DocumentOptions"/> allows, and escaped strings that do not decode
/// (a lone UTF-16 surrogate such as <c>"\ud800"</c>, on which <c>GetString</c> throws). A frame
/// that passes can be read with <see cref="JsonElement.GetString"/> anywhere without a throw.
/// </summary>
internal static class JsonTextCheck
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private const int MaxDetailLength = 160;

    /// <summary>The frame without a leading UTF-8 byte order mark (tolerated, as JSON parsers commonly do).</summary>
    public static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith(Utf8Bom) ? utf8[Utf8Bom.Length..] : utf8;

    /// <summary>Null when the frame is well-formed JSON whose strings all decode; otherwise what is wrong.</summary>
    public static string? FindProblem(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = ProtocolJson.DocumentOptions.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
            return null;
        }
        catch (JsonException ex)
        {
            return $"malformed JSON ({Shorten(ex.Message)})";
        }
        catch (InvalidOperationException)
        {
            return "a string holds an invalid escape (a lone UTF-16 surrogate)";
        }
    }

    private static string Shorten(string message) =>
        message.Length <= MaxDetailLength ? message : message[..MaxDetailLength] + "…";
}
