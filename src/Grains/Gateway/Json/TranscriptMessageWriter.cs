using System.Text.Json;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Writes a transcript message as the reference gateway's <c>chat.history</c> and
/// <c>session.message</c> do: user messages carry their text as a string, assistant messages as
/// <c>[{type:"text", text}]</c> with provider, model, usage and stopReason; both carry
/// <c>__openclaw{id, seq, runId}</c>. An assistant turn that called tools adds
/// <c>{type:"toolCall", id, name, arguments}</c> blocks after its text; a tool result is
/// <c>{role:"toolResult", toolCallId, toolName, content:[{type:"text", text}], details, isError, timestamp}</c>.
/// </summary>
internal static class TranscriptMessageWriter
{
    public static void Write(Utf8JsonWriter writer, TranscriptMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role);
        if (message.Role == TranscriptMessage.ToolResultRole)
        {
            writer.WriteString("toolCallId", message.ToolCallId);
            writer.WriteString("toolName", message.ToolName);
            WriteTextContent(writer, message.Text);
            if (message.DetailsJson is { } details)
            {
                writer.WritePropertyName("details");
                WriteJsonOrString(writer, details);
            }

            writer.WriteBoolean("isError", message.IsError == true);
        }
        else if (message.Role == TranscriptMessage.AssistantRole)
        {
            WriteAssistantContent(writer, message);
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

    /// <summary><c>content: [{type:"text", text}?, {type:"toolCall", id, name, arguments}…]</c> (the text block only when there is text or no call).</summary>
    private static void WriteAssistantContent(Utf8JsonWriter writer, TranscriptMessage message)
    {
        if (!message.HasToolCalls)
        {
            WriteTextContent(writer, message.Text);
            return;
        }

        writer.WriteStartArray("content");
        if (message.Text.Length > 0)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WriteString("text", message.Text);
            writer.WriteEndObject();
        }

        foreach (var call in message.ToolCalls!)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "toolCall");
            writer.WriteString("id", call.Id);
            writer.WriteString("name", call.Name);
            writer.WritePropertyName("arguments");
            WriteJsonOrString(writer, call.ArgumentsJson);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Stored JSON as a value; text that is not valid JSON (a model's broken arguments) as a string.</summary>
    public static void WriteJsonOrString(Utf8JsonWriter writer, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(json);
        }
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
