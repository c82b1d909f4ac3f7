using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Tool events, as the reference gateway sends them: per call an <c>agent</c> <c>stream:"item"</c>
/// start and end (to every socket), and <c>stream:"tool"</c> start, update and result (only to
/// sockets with the <c>tool-events</c> cap; the same payload goes to the other
/// <c>sessions.subscribe</c>d sockets as <c>session.tool</c>). Result text in events is capped at
/// <see cref="UserGrainOptions.MaxToolEventChars"/> plus <c>…(truncated)…</c>. Heartbeat runs send none.
/// </summary>
internal sealed partial class RunEventPublisher
{
    public const string ToolEventsCap = "tool-events";
    public const string TruncatedMarker = "…(truncated)…";

    private static readonly IReadOnlyList<string> ToolEventsCaps = [ToolEventsCap];

    /// <summary>Buffered text goes out first, then item start and tool start.</summary>
    public void ToolStarted(ChatRun run, ToolCallState call)
    {
        FlushText(run);
        if (run.IsHeartbeat)
        {
            return;
        }

        PublishAgent(run, run.NextSeq(), "item", includeSessionId: false, writer => WriteItem(writer, call, ended: false));
        PublishTool(run, writer =>
        {
            writer.WriteString("phase", "start");
            writer.WriteString("name", call.Name);
            writer.WriteString("toolCallId", call.Id);
            writer.WritePropertyName("args");
            WriteArguments(writer, call.ArgumentsJson);
        });
    }

    /// <summary>A partial result of a running tool (<c>phase:"update"</c>, <c>partialResult:{content:[{type:"text",text}]}</c>).</summary>
    public void ToolUpdated(ChatRun run, ToolCallState call, string text)
    {
        if (run.IsHeartbeat)
        {
            return;
        }

        PublishTool(run, writer =>
        {
            writer.WriteString("phase", "update");
            writer.WriteString("name", call.Name);
            writer.WriteString("toolCallId", call.Id);
            writer.WriteStartObject("partialResult");
            WriteContent(writer, text);
            writer.WriteEndObject();
        });
    }

    /// <summary>Tool result, then item end.</summary>
    public void ToolFinished(ChatRun run, ToolCallState call, ToolResult result)
    {
        if (run.IsHeartbeat)
        {
            return;
        }

        PublishTool(run, writer =>
        {
            writer.WriteString("phase", "result");
            writer.WriteString("name", call.Name);
            writer.WriteString("toolCallId", call.Id);
            if (result.Meta is not null)
            {
                writer.WriteString("meta", result.Meta);
            }

            writer.WriteBoolean("isError", result.IsError);
            writer.WriteBoolean("commandBearing", call.CommandBearing);
            writer.WriteStartObject("result");
            WriteContent(writer, result.Text);
            if (result.DetailsJson is not null)
            {
                writer.WritePropertyName("details");
                TranscriptMessageWriter.WriteJsonOrString(writer, result.DetailsJson);
            }

            writer.WriteEndObject();
        });
        PublishAgent(run, run.NextSeq(), "item", includeSessionId: false, writer => WriteItem(writer, call, ended: true));
    }

    /// <summary><c>session.message</c> for a tool turn's assistant message or a tool result.</summary>
    public void ToolMessage(ChatRun run, SessionRecord session, TranscriptMessage message) =>
        SessionMessage(run.SessionKey, session, message);

    private void PublishTool(ChatRun run, Action<Utf8JsonWriter> writeData)
    {
        var payload = AgentPayload(run, run.NextSeq(), "tool", includeSessionId: false, writeData);
        run.LiveText.EventBytes += payload.Length;
        context.Events.Publish(new TenantEvent(TenantEventNames.Agent, payload) { RequiredAnyCap = ToolEventsCaps, RequiredScope = GatewayMethodCatalog.ScopeRead });
        context.Events.PublishToSessionSubscribers(new TenantEvent(TenantEventNames.SessionTool, payload) { ExcludedCaps = ToolEventsCaps });
    }

    private void WriteItem(Utf8JsonWriter writer, ToolCallState call, bool ended)
    {
        writer.WriteString("itemId", "tool:" + call.Id);
        writer.WriteString("toolCallId", call.Id);
        writer.WriteString("name", call.Name);
        writer.WriteString("kind", "tool");
        writer.WriteString("phase", ended ? "end" : "start");
        writer.WriteString("title", Title(call.Name, ended ? call.Meta : null));
        writer.WriteString("status", !ended ? "running" : call.Failed ? "failed" : "completed");
        if (ended && call.Meta is not null)
        {
            writer.WriteString("meta", call.Meta);
        }

        writer.WriteBoolean("commandBearing", call.CommandBearing);
        writer.WriteNumber("startedAt", call.StartedAt);
        if (ended)
        {
            writer.WriteNumber("endedAt", call.EndedAt ?? context.NowMs());
        }
    }

    private void WriteContent(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", Cap(text, context.Options.MaxToolEventChars));
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>The arguments object; arguments that are not JSON, or too long for an event, as a (capped) string.</summary>
    private void WriteArguments(Utf8JsonWriter writer, string argumentsJson)
    {
        if (argumentsJson.Length <= context.Options.MaxToolEventChars)
        {
            TranscriptMessageWriter.WriteJsonOrString(writer, argumentsJson);
        }
        else
        {
            writer.WriteStringValue(Cap(argumentsJson, context.Options.MaxToolEventChars));
        }
    }

    /// <summary><c>Write to notes/a.txt (16 chars)</c>: the tool's name capitalised, then its meta.</summary>
    private static string Title(string name, string? meta)
    {
        var title = name.Length == 0 ? "Tool" : char.ToUpperInvariant(name[0]) + name[1..];
        return meta is null ? title : title + " " + meta;
    }

    /// <summary>At most <paramref name="max"/> characters (never splitting a surrogate pair) plus the truncation marker.</summary>
    public static string Cap(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var length = max;
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length] + TruncatedMarker;
    }
}
