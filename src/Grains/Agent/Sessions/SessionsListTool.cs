using System.Text.Json;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Sessions;

/// <summary>
/// <c>sessions_list {limit?, offset?, activeMinutes?, messageLimit?, kinds?}</c>: the tenant's
/// sessions, most recently updated first, with the fields of the gateway's <c>sessions.list</c>
/// rows that matter to an agent, and optionally each session's last messages.
/// </summary>
internal sealed class SessionsListTool : IAgentTool
{
    private static readonly string[] Kinds = ["main", "other"];

    public string Name => "sessions_list";

    public string Description => "List this agent's sessions (most recent first), optionally with their last messages.";

    public string ParametersJson => $$$$"""
        {"type":"object","properties":{
        "limit":{"type":"integer","minimum":1,"maximum":{{{{SessionToolLimits.ListMaxLimit}}}}},
        "offset":{"type":"integer","minimum":0},
        "activeMinutes":{"type":"integer","minimum":1,"description":"Only sessions updated within this many minutes."},
        "messageLimit":{"type":"integer","minimum":0,"maximum":{{{{SessionToolLimits.ListMaxMessages}}}},"description":"Last messages to include per session (default 0)."},
        "kinds":{"type":"array","items":{"type":"string","enum":["main","other"]}}},
        "additionalProperties":false}
        """;

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        int limit, offset, messageLimit;
        long? activeMinutes;
        HashSet<string>? kinds;
        try
        {
            var arguments = new GatewayParams(call.Arguments);
            limit = (int)(arguments.OptionalInteger("limit", 1, SessionToolLimits.ListMaxLimit) ?? SessionToolLimits.ListDefaultLimit);
            offset = (int)(arguments.OptionalInteger("offset", 0, int.MaxValue) ?? 0);
            activeMinutes = arguments.OptionalInteger("activeMinutes", 1, 10_000_000);
            messageLimit = (int)(arguments.OptionalInteger("messageLimit", 0, SessionToolLimits.ListMaxMessages) ?? 0);
            kinds = ReadKinds(arguments.OptionalElement("kinds"));
        }
        catch (GatewayParamsException ex)
        {
            throw SessionToolText.Invalid(Name, ex);
        }

        var gateway = context.Gateway;
        var now = gateway.NowMs();
        var matching = gateway.Sessions.ListByRecency()
            .Where(session => activeMinutes is null || now - session.UpdatedAt <= activeMinutes.Value * 60_000)
            .Where(session => kinds is null || kinds.Contains(KindOf(session)))
            .ToList();
        var page = matching.Skip(offset).Take(limit).ToList();
        var hasMore = offset + page.Count < matching.Count;
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteNumber("count", page.Count);
            writer.WriteNumber("totalCount", matching.Count);
            writer.WriteNumberOrNull("nextOffset", hasMore ? offset + page.Count : null);
            writer.WriteBoolean("hasMore", hasMore);
            writer.WriteStartArray("sessions");
            foreach (var session in page)
            {
                WriteRow(writer, gateway, session, context.SessionKey, messageLimit);
            }

            writer.WriteEndArray();
        });
        return Task.FromResult(ToolResult.Ok(payload, payload, $"{page.Count} of {matching.Count} sessions"));
    }

    private static string KindOf(SessionRecord session) =>
        SessionKey.TryParse(session.Key, out _) is { IsMain: true } ? "main" : "other";

    private static HashSet<string>? ReadKinds(JsonElement? element)
    {
        if (element is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > Kinds.Length * 4)
        {
            throw new GatewayParamsException("'kinds' must be an array of \"main\" or \"other\"");
        }

        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateArray())
        {
            var kind = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (kind is null || !Kinds.Contains(kind))
            {
                throw new GatewayParamsException("'kinds' must be an array of \"main\" or \"other\"");
            }

            kinds.Add(kind);
        }

        return kinds.Count == 0 ? null : kinds;
    }

    private static void WriteRow(Utf8JsonWriter writer, GatewayContext gateway, SessionRecord session, SessionKey current, int messageLimit)
    {
        var activeRunIds = gateway.Runs.ActiveRunIds(session.Key);
        writer.WriteStartObject();
        writer.WriteString("key", session.Key);
        writer.WriteString("agentId", session.AgentId);
        writer.WriteString("kind", KindOf(session));
        writer.WriteBoolean("current", session.Key == current.Value);
        if (session.Label is { } label)
        {
            writer.WriteString("label", label);
        }

        writer.WriteString("sessionId", session.SessionId);
        writer.WriteNumber("createdAt", session.CreatedAt);
        writer.WriteNumber("updatedAt", session.UpdatedAt);
        if (activeRunIds.Count > 0 || session.Status is not null)
        {
            writer.WriteString("status", activeRunIds.Count > 0 ? SessionRecord.StatusRunning : session.Status);
        }

        writer.WriteBoolean("hasActiveRun", activeRunIds.Count > 0);
        writer.WriteString("modelProvider", session.Provider ?? gateway.Config.Provider);
        writer.WriteString("model", session.Model ?? gateway.Config.Model);
        writer.WriteNumber("totalTokens", session.InputTokens + session.OutputTokens);
        writer.WriteNumber("messageCount", session.Messages.Count);
        if (session.LastMessagePreview is { } preview)
        {
            writer.WriteString("lastMessagePreview", preview);
        }

        if (messageLimit > 0)
        {
            SessionToolText.WriteMessages(writer, "messages", session.Messages.TakeLast(messageLimit));
        }

        writer.WriteEndObject();
    }
}
