using System.Text.Json;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Writes a transcript message as the reference gateway's <c>chat.history</c> and
/// <c>session.message</c> do: user messages carry their text as a string, assistant messages as
/// <c>[{type:"text", text}]</c> with provider, model, usage and stopReason; both carry
/// <c>__openclaw{id, seq, runId}</c>.
/// </summary>
internal static class TranscriptMessageWriter
{
    public static void Write(Utf8JsonWriter writer, TranscriptMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role);
        if (message.Role == TranscriptMessage.AssistantRole)
        {
            WriteTextContent(writer, message.Text);
            if (message.Provider is not null)
            {
                writer.WriteString("provider", message.Provider);
            }

            if (message.Model is not null)
            {
                writer.WriteString("model", message.Model);
            }

            if (message.InputTokens is not null || message.OutputTokens is not null)
            {
                WriteUsage(writer, message.InputTokens ?? 0, message.OutputTokens ?? 0);
            }

            if (message.StopReason is not null)
            {
                writer.WriteString("stopReason", message.StopReason);
            }
        }
        else
        {
            writer.WriteString("content", message.Text);
        }

        writer.WriteNumber("timestamp", message.Timestamp);
        if (message.IdempotencyKey is not null)
        {
            writer.WriteString("idempotencyKey", message.IdempotencyKey);
        }

        writer.WriteStartObject("__openclaw");
        writer.WriteString("id", message.Id);
        writer.WriteNumber("seq", message.Seq);
        writer.WriteNumber("recordTimestampMs", message.Timestamp);
        if (message.RunId is not null)
        {
            writer.WriteString("runId", message.RunId);
        }

        if (message.Role == TranscriptMessage.UserRole)
        {
            writer.WriteBoolean("senderIsOwner", true);
            if (message.IdempotencyKey is not null)
            {
                writer.WriteString("idempotencyKey", message.IdempotencyKey);
            }

            if (message.SenderClientId is not null)
            {
                writer.WriteStartObject("transport");
                writer.WriteStartArray("clients");
                writer.WriteStartObject();
                writer.WriteString("id", message.SenderClientId);
                writer.WriteStringOrNull("mode", message.SenderClientMode);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>content: [{type:"text", text}]</c>.</summary>
    public static void WriteTextContent(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>Token usage as the transcript records it: <c>{input, output, cacheRead, cacheWrite, totalTokens}</c>.</summary>
    public static void WriteUsage(Utf8JsonWriter writer, int inputTokens, int outputTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input", inputTokens);
        writer.WriteNumber("output", outputTokens);
        writer.WriteNumber("cacheRead", 0);
        writer.WriteNumber("cacheWrite", 0);
        writer.WriteNumber("totalTokens", inputTokens + outputTokens);
        writer.WriteEndObject();
    }
}
