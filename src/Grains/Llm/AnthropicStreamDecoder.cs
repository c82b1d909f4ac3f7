using System.Text.Json;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Decodes Anthropic's message stream: <c>message_start</c> (input tokens),
/// <c>content_block_start</c>/<c>content_block_delta</c> (text), <c>message_delta</c> (stop
/// reason, output tokens), <c>message_stop</c> (the end), <c>ping</c>, and <c>error</c>, which
/// fails the stream. A <c>tool_use</c> block (<c>content_block_start</c>, its
/// <c>input_json_delta.partial_json</c> pieces, <c>content_block_stop</c>) is one tool call,
/// emitted when its block stops; stop reason <c>tool_use</c> becomes <c>toolUse</c>.
/// </summary>
internal sealed class AnthropicStreamDecoder(int maxToolCalls = LlmProviderOptions.DefaultMaxToolCallsPerTurn, int maxToolArgumentBytes = LlmProviderOptions.DefaultMaxToolArgumentBytes) : ILlmStreamDecoder
{
    private readonly ToolCallAccumulator _toolCalls = new(AnthropicProvider.ProviderName, maxToolCalls, maxToolArgumentBytes);

    private string? _stopReason;
    private int _inputTokens;
    private int _outputTokens;

    public bool IsCompleted { get; private set; }

    public void Decode(ServerSentEvent serverSentEvent, List<LlmStreamEvent> output)
    {
        var decoded = Decode(serverSentEvent);
        if (decoded is LlmCompleted)
        {
            // Blocks a broken server never stopped still end with the message.
            _toolCalls.CompleteAll(output);
        }

        if (decoded is not null)
        {
            output.Add(decoded);
        }
    }

    private LlmStreamEvent? Decode(ServerSentEvent serverSentEvent)
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
                    if (root.TryGetProperty("content_block", out var block) && block.ValueKind == JsonValueKind.Object)
                    {
                        var blockType = GetString(block, "type");
                        if (blockType == "text" && GetString(block, "text") is { Length: > 0 } initial)
                        {
                            return new LlmTextDelta(initial);
                        }

                        if (blockType == "tool_use")
                        {
                            var entry = _toolCalls.Get(BlockKey(root));
                            _toolCalls.SetId(entry, GetString(block, "id"));
                            _toolCalls.SetName(entry, GetString(block, "name"));
                            if (block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object
                                && input.EnumerateObject().Any())
                            {
                                _toolCalls.AppendArguments(entry, input.GetRawText());
                            }
                        }
                    }

                    return null;

                case "content_block_delta":
                    if (root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
                    {
                        var deltaType = GetString(delta, "type");
                        if (deltaType == "text_delta" && GetString(delta, "text") is { Length: > 0 } text)
                        {
                            return new LlmTextDelta(text);
                        }

                        if (deltaType == "input_json_delta" && _toolCalls.Find(BlockKey(root)) is { } open)
                        {
                            _toolCalls.AppendArguments(open, GetString(delta, "partial_json"));
                        }
                    }

                    return null; // thinking deltas are not text

                case "content_block_stop":
                    return _toolCalls.Find(BlockKey(root)) is { } stopped ? _toolCalls.Complete(stopped) : null;

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
                    return new LlmCompleted(StopReason(), new LlmUsage(_inputTokens, _outputTokens));

                case "error":
                    var error = ProviderErrorText.FromJson(root) ?? "unknown error";
                    throw new LlmProviderException($"{AnthropicProvider.ProviderName}: the stream reported an error: {error}");

                default:
                    return null; // ping and future event types
            }
        }
    }

    private string StopReason() => _stopReason == "tool_use" || (_stopReason is null && _toolCalls.HasCalls)
        ? LlmCompleted.ToolUse
        : _stopReason ?? "end_turn";

    private static string BlockKey(JsonElement root) =>
        root.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number ? index.GetRawText() : "0";

    public void CompleteAtEndOfStream(List<LlmStreamEvent> output) =>
        throw new LlmProviderException($"{AnthropicProvider.ProviderName}: the stream ended before message_stop; the answer is incomplete.");

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? GetInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;
}
