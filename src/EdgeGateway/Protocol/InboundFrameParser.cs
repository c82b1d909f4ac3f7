using System.Text.Json;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// Reads client frames <c>{type:"req", id, method, params?}</c>. Unknown extra fields
/// (<c>traceparent</c>, <c>expectedProfileId</c>, …) are ignored. For malformed JSON the request
/// id is salvaged when it was readable before the error, so the client's pending call fails
/// instead of timing out.
/// </summary>
internal static class InboundFrameParser
{
    /// <summary>Never throws: any unreadable input is a failure with the salvaged id (or none).</summary>
    public static InboundParseResult Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            utf8 = JsonTextCheck.WithoutBom(utf8);
            if (JsonTextCheck.FindProblem(utf8.Span) is { } problem)
            {
                return InboundParseResult.Failure(SalvageId(utf8.Span), $"invalid request frame: {problem}");
            }

            using var document = JsonDocument.Parse(utf8, ProtocolJson.DocumentOptions);
            if (!TryReadEnvelope(document.RootElement, out var id, out var method, out var parameters, out var error))
            {
                return InboundParseResult.Failure(id, error!);
            }
            string? paramsJson = null;
            var paramsBytes = 0;
            if (parameters is { ValueKind: not JsonValueKind.Null } p)
            {
                paramsJson = p.GetRawText();
                paramsBytes = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(p).Length;
            }
            return InboundParseResult.Success(new InboundRequest(id!, method!, paramsJson, paramsBytes, utf8.Length));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not expected after the check above; still a client's frame, never the socket's end.
            return InboundParseResult.Failure(SalvageId(utf8.Span), "invalid request frame: unreadable JSON");
        }
    }

    /// <summary>
    /// Validates the request envelope. On failure <paramref name="id"/> still holds the id when
    /// it was a non-empty string.
    /// </summary>
    public static bool TryReadEnvelope(JsonElement root, out string? id, out string? method, out JsonElement? parameters, out string? error)
    {
        id = null;
        method = null;
        parameters = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "invalid request frame: expected a JSON object";
            return false;
        }
        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String && idElement.GetString() is { Length: > 0 } idText)
        {
            id = idText;
        }
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != ProtocolConstants.RequestType)
        {
            error = "invalid request frame: type must be \"req\"";
            return false;
        }
        if (id is null)
        {
            error = "invalid request frame: id must be a non-empty string";
            return false;
        }
        if (!root.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String || methodElement.GetString() is not { Length: > 0 } methodText)
        {
            error = "invalid request frame: method must be a non-empty string";
            return false;
        }
        method = methodText;
        if (root.TryGetProperty("params", out var paramsElement)) parameters = paramsElement;
        error = null;
        return true;
    }

    /// <summary>Whether the property name is <c>id</c>; a name that does not decode is not.</summary>
    private static bool IsIdProperty(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.ValueTextEquals("id"u8);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The top-level string <c>id</c> of a frame that fails to parse, if it came before the error.</summary>
    internal static string? SalvageId(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0) return null;
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    var isId = IsIdProperty(ref reader);
                    if (!reader.Read()) return null;
                    if (isId && reader.TokenType == JsonTokenType.String) return reader.GetString() is { Length: > 0 } id ? id : null;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        return null;
    }
}
