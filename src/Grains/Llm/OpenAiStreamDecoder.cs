using System.Text.Json;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Decodes OpenAI chat completion chunks: <c>choices[0].delta.content</c> is text,
/// <c>choices[0].finish_reason</c> the stop reason, the chunk with <c>usage</c> the token counts,
/// and <c>data: [DONE]</c> the end. A chunk with an <c>error</c> object fails the stream.
/// </summary>
internal sealed class OpenAiStreamDecoder : ILlmStreamDecoder
{
    private const string DoneMarker = "[DONE]";
    private string? _finishReason;
    private LlmUsage? _usage;

    public bool IsCompleted { get; private set; }

    public LlmStreamEvent? Decode(ServerSentEvent serverSentEvent)
    {
        var data = serverSentEvent.Data;
        if (data.Trim() == DoneMarker)
        {
            IsCompleted = true;
            return Completion();
        }

        if (string.IsNullOrWhiteSpace(data))
        {
            return null;
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
                    if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object
                        && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                    {
                        text = content.GetString();
                    }

                    if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                    {
                        _finishReason = finish.GetString();
                    }
                }
            }

            return string.IsNullOrEmpty(text) ? null : new LlmTextDelta(text);
        }
    }

    public LlmCompleted CompleteAtEndOfStream()
    {
        // Some compatible servers omit [DONE]; a finish reason is proof enough that the answer is whole.
        if (_finishReason is null)
        {
            throw new LlmProviderException($"{OpenAiProvider.ProviderName}: the stream ended before the answer was complete.");
        }

        IsCompleted = true;
        return Completion();
    }

    private LlmCompleted Completion() => new(_finishReason ?? "stop", _usage ?? LlmUsage.None);

    private static int ReadInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : 0;
}
