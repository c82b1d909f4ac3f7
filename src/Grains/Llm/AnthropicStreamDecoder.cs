using System.Text.Json;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Decodes Anthropic's message stream: <c>message_start</c> (input tokens),
/// <c>content_block_start</c>/<c>content_block_delta</c> (text), <c>message_delta</c> (stop
/// reason, output tokens), <c>message_stop</c> (the end), <c>ping</c>, and <c>error</c>, which
/// fails the stream.
/// </summary>
internal sealed class AnthropicStreamDecoder : ILlmStreamDecoder
{
    private string? _stopReason;
    private int _inputTokens;
    private int _outputTokens;

    public bool IsCompleted { get; private set; }

    public LlmStreamEvent? Decode(ServerSentEvent serverSentEvent)
    {
        if (string.IsNullOrWhiteSpace(serverSentEvent.Data))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(serverSentEvent.Data);
        }
        catch (JsonException ex)
        {
            throw new LlmProviderException($"{AnthropicProvider.ProviderName}: malformed '{serverSentEvent.EventType}' event (not JSON).", null, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LlmProviderException($"{AnthropicProvider.ProviderName}: malformed '{serverSentEvent.EventType}' event (not a JSON object).");
            }

            var type = GetString(root, "type") ?? serverSentEvent.EventType;
            switch (type)
            {
                case "message_start":
                    if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                        && message.TryGetProperty("usage", out var startUsage) && startUsage.ValueKind == JsonValueKind.Object)
                    {
                        _inputTokens = GetInt(startUsage, "input_tokens") ?? _inputTokens;
                        _outputTokens = GetInt(startUsage, "output_tokens") ?? _outputTokens;
                    }

                    return null;

                case "content_block_start":
                    if (root.TryGetProperty("content_block", out var block) && block.ValueKind == JsonValueKind.Object
                        && GetString(block, "type") == "text" && GetString(block, "text") is { Length: > 0 } initial)
                    {
                        return new LlmTextDelta(initial);
                    }

                    return null;

                case "content_block_delta":
                    if (root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object
                        && GetString(delta, "type") == "text_delta" && GetString(delta, "text") is { Length: > 0 } text)
                    {
                        return new LlmTextDelta(text);
                    }

                    return null; // tool input and thinking deltas are not text

                case "message_delta":
                    if (root.TryGetProperty("delta", out var messageDelta) && messageDelta.ValueKind == JsonValueKind.Object
                        && GetString(messageDelta, "stop_reason") is { } stopReason)
                    {
                        _stopReason = stopReason;
                    }

                    if (root.TryGetProperty("usage", out var deltaUsage) && deltaUsage.ValueKind == JsonValueKind.Object)
                    {
                        // Counts in message_delta are cumulative.
                        _outputTokens = GetInt(deltaUsage, "output_tokens") ?? _outputTokens;
                        _inputTokens = GetInt(deltaUsage, "input_tokens") ?? _inputTokens;
                    }

                    return null;

                case "message_stop":
                    IsCompleted = true;
                    return new LlmCompleted(_stopReason ?? "end_turn", new LlmUsage(_inputTokens, _outputTokens));

                case "error":
                    var error = ProviderErrorText.FromJson(root) ?? "unknown error";
                    throw new LlmProviderException($"{AnthropicProvider.ProviderName}: the stream reported an error: {error}");

                default:
                    return null; // ping, content_block_stop and future event types
            }
        }
    }

    public LlmCompleted CompleteAtEndOfStream() =>
        throw new LlmProviderException($"{AnthropicProvider.ProviderName}: the stream ended before message_stop; the answer is incomplete.");

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? GetInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;
}
