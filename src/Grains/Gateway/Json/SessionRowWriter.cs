using System.Text.Json;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Writes a session row (<c>SessionRow</c>: <c>sessions.list</c> items, <c>sessions.describe</c>'s
/// <c>session</c>, <c>chat.history</c>'s <c>sessionInfo</c>, <c>sessions.changed</c>'s <c>session</c>).
/// A subset of the reference gateway's row: the fields clients read, with the same names and types.
/// A key without a session yet gets the row of a fresh session (<c>updatedAt: null</c>).
/// </summary>
internal static class SessionRowWriter
{
    public static void Write(Utf8JsonWriter writer, string propertyName, GatewayContext context, SessionKey key, SessionRecord? session)
    {
        writer.WritePropertyName(propertyName);
        Write(writer, context, key, session);
    }

    public static void Write(Utf8JsonWriter writer, GatewayContext context, SessionKey key, SessionRecord? session)
    {
        writer.WriteStartObject();
        writer.WriteString("key", key.Value);
        writer.WriteString("agentId", key.AgentId);
        WriteFields(writer, context, key, session);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The row's fields except <c>key</c> and <c>agentId</c>, for events that also spread the row
    /// at their top level (as the reference's <c>sessions.changed</c> and <c>session.message</c> do).
    /// </summary>
    public static void WriteFields(Utf8JsonWriter writer, GatewayContext context, SessionKey key, SessionRecord? session)
    {
        var config = context.Config;
        var activeRunIds = context.Runs.ActiveRunIds(key.Value);

        if (session is not null)
        {
            writer.WriteString("sessionId", session.SessionId);
        }

        writer.WriteString("kind", "direct");
        writer.WriteString("classification", "direct");
        writer.WriteBoolean("isMain", key.IsMain);
        writer.WriteBoolean("isBackground", false);
        writer.WriteString("chatType", "direct");
        writer.WriteBoolean("permissionModePending", false);
        if (session?.Label is { } label)
        {
            writer.WriteString("label", label);
        }

        if (session is not null)
        {
            writer.WriteNumber("createdAt", session.CreatedAt);
        }

        writer.WriteNumberOrNull("updatedAt", session?.UpdatedAt);
        if (session?.LastInteractionAt is { } lastInteraction)
        {
            writer.WriteNumber("lastInteractionAt", lastInteraction);
            writer.WriteNumber("lastActivityAt", lastInteraction);
        }

        writer.WriteBoolean("archived", false);
        writer.WriteBoolean("pinned", false);
        writer.WriteBoolean("unread", false);
        if (session?.LastMessagePreview is { } preview)
        {
            writer.WriteString("lastMessagePreview", preview);
        }

        ModelDefaultsWriter.WriteThinking(writer);
        writer.WriteBoolean("effectiveFastMode", false);
        writer.WriteString("effectiveFastModeSource", "default");
        writer.WriteNumber("fastAutoOnSeconds", 60);
        if (session is not null)
        {
            writer.WriteBoolean("systemSent", session.LastRunId is not null);
            writer.WriteBoolean("abortedLastRun", session.AbortedLastRun);
            writer.WriteNumber("inputTokens", session.InputTokens);
            writer.WriteNumber("outputTokens", session.OutputTokens);
            writer.WriteNumber("totalTokens", session.InputTokens + session.OutputTokens);
            writer.WriteBoolean("totalTokensFresh", session.LastRunId is not null);
            writer.WriteNumber("estimatedCostUsd", 0);
            if (activeRunIds.Count > 0 || session.Status is not null)
            {
                writer.WriteString("status", activeRunIds.Count > 0 ? SessionRecord.StatusRunning : session.Status);
            }

            if (session.StartedAt is { } startedAt)
            {
                writer.WriteNumber("startedAt", startedAt);
            }

            if (session.EndedAt is { } endedAt)
            {
                writer.WriteNumber("endedAt", endedAt);
                if (session.StartedAt is { } started)
                {
                    writer.WriteNumber("runtimeMs", Math.Max(0, endedAt - started));
                }
            }

            if (session.LastRunId is { } lastRunId)
            {
                writer.WriteString("lastRunId", lastRunId);
            }

            if (session.LastRunError is { } lastRunError)
            {
                writer.WriteString("lastRunError", lastRunError);
            }
        }
        else
        {
            writer.WriteBoolean("totalTokensFresh", false);
        }

        writer.WriteString("effectiveResponseUsage", "off");
        writer.WriteString("effectiveQueueMode", "queue");
        writer.WriteString("modelProvider", session?.Provider ?? config.Provider);
        writer.WriteString("model", session?.Model ?? config.Model);
        var running = context.Runs.ActiveRuns.FirstOrDefault(run => run.SessionKey.Equals(key) && !run.IsQueued);
        writer.WriteStringOrNull("activeModelProvider", running?.Provider);
        writer.WriteStringOrNull("activeModel", running?.Model);
        writer.WriteNull("modelOverrideSource");
        writer.WriteBoolean("runtimeSelectionLocked", false);
        ModelDefaultsWriter.WriteAgentRuntime(writer);
        writer.WriteNumber("contextTokens", context.Options.ContextTokens);
        writer.WriteNumber("snapshotAt", context.NowMs());
        writer.WriteBoolean("hasActiveRun", activeRunIds.Count > 0);
        writer.WriteStringArray("activeRunIds", activeRunIds);
    }
}
