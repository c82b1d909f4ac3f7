using System.Text.Json;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Decodes OpenAI chat completion chunks: <c>choices[0].delta.content</c> is text,
/// <c>choices[0].delta.tool_calls[]</c> are tool call pieces (accumulated by <c>index</c>, else by
/// <c>id</c>; the legacy <c>delta.function_call</c> is one call), <c>choices[0].finish_reason</c>
/// the stop reason (<c>tool_calls</c>, <c>function_call</c>, <c>tool_call</c> become
/// <c>toolUse</c>), the chunk with <c>usage</c> the token counts, and <c>data: [DONE]</c> the end.
/// Tool calls are emitted complete when the finish reason (or the end) arrives. A chunk with an
/// <c>error</c> object fails the stream.
/// </summary>
internal sealed class OpenAiStreamDecoder(int maxToolCalls = LlmProviderOptions.DefaultMaxToolCallsPerTurn, int maxToolArgumentBytes = LlmProviderOptions.DefaultMaxToolArgumentBytes) : ILlmStreamDecoder
{
    private const string DoneMarker = "[DONE]";
    private const string LegacyFunctionCallKey = "legacy";
    private readonly ToolCallAccumulator _toolCalls = new(OpenAiProvider.ProviderName, maxToolCalls, maxToolArgumentBytes);
    private ToolCallAccumulator.Entry? _lastCall;
    private string? _finishReason;
    private LlmUsage? _usage;

    public bool IsCompleted { get; private set; }

    public void Decode(ServerSentEvent serverSentEvent, List<LlmStreamEvent> output)
    {
        var data = serverSentEvent.Data;
        if (data.Trim() == DoneMarker)
        {
            IsCompleted = true;
            _toolCalls.CompleteAll(output);
            output.Add(Completion());
            return;
        }

        if (string.IsNullOrWhiteSpace(data))
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            throw new LlmProviderException($"{OpenAiProvider.ProviderName}: malformed stream chunk (not JSON).", null, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LlmProviderException($"{OpenAiProvider.ProviderName}: malformed stream chunk (not a JSON object).");
            }

            if (serverSentEvent.EventType == "error"
                || (root.TryGetProperty("error", out var error) && error.ValueKind is JsonValueKind.Object or JsonValueKind.String))
            {
                var message = ProviderErrorText.FromJson(root) ?? "unknown error";
                throw new LlmProviderException($"{OpenAiProvider.ProviderName}: the stream reported an error: {message}");
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                _usage = new LlmUsage(ReadInt(usage, "prompt_tokens"), ReadInt(usage, "completion_tokens"));
            }

            string? text = null;
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                var choice = choices[0];
                if (choice.ValueKind == JsonValueKind.Object)
                {
                    if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
                    {
                        if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                        {
                            text = content.GetString();
                        }

                        if (!string.IsNullOrEmpty(text))
                        {
                            output.Add(new LlmTextDelta(text));
                        }

                        ReadToolCalls(delta);
                    }

                    if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                    {
                        _finishReason = finish.GetString();
                        if (_toolCalls.HasCalls)
                        {
                            _toolCalls.CompleteAll(output);
                        }
                    }
                }
            }
        }
    }

    public void CompleteAtEndOfStream(List<LlmStreamEvent> output)
    {
        // Some compatible servers omit [DONE]; a finish reason is proof enough that the answer is whole.
        if (_finishReason is null)
        {
            throw new LlmProviderException($"{OpenAiProvider.ProviderName}: the stream ended before the answer was complete.");
        }

        IsCompleted = true;
        _toolCalls.CompleteAll(output);
        output.Add(Completion());
    }

    private void ReadToolCalls(JsonElement delta)
    {
        if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                if (call.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var id = GetString(call, "id");
                string? key = call.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number
                    ? "i:" + index.GetRawText()
                    : id is not null ? "id:" + id : null;
                var entry = key is null ? _lastCall ?? _toolCalls.Get("i:0") : _toolCalls.Get(key);
                _lastCall = entry;
                _toolCalls.SetId(entry, id);
                if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
                {
                    _toolCalls.SetName(entry, GetString(function, "name"));
                    _toolCalls.AppendArguments(entry, GetString(function, "arguments"));
                }
            }
        }

        if (delta.TryGetProperty("function_call", out var legacy) && legacy.ValueKind == JsonValueKind.Object)
        {
            var entry = _toolCalls.Get(LegacyFunctionCallKey);
            _toolCalls.SetName(entry, GetString(legacy, "name"));
            _toolCalls.AppendArguments(entry, GetString(legacy, "arguments"));
        }
    }

    private LlmCompleted Completion() => new(StopReason(), _usage ?? LlmUsage.None);

    private string StopReason() => _finishReason switch
    {
        "tool_calls" or "function_call" or "tool_call" => LlmCompleted.ToolUse,
        _ when _toolCalls.HasCalls => LlmCompleted.ToolUse,
        null => "stop",
        var reason => reason,
    };

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int ReadInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : 0;
}
