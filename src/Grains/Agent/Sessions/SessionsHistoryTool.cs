using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Sessions;

/// <summary><c>sessions_history {sessionKey, limit?}</c>: the last messages of one of the tenant's sessions, as <c>chat.history</c> shows them.</summary>
internal sealed class SessionsHistoryTool : IAgentTool
{
    public string Name => "sessions_history";

    public string Description => "Read the recent messages of another session of this agent.";

    public string ParametersJson => $$$"""
        {"type":"object","properties":{
        "sessionKey":{"type":"string","description":"Session key from sessions_list."},
        "limit":{"type":"integer","minimum":1,"maximum":{{{SessionToolLimits.HistoryMaxLimit}}},"description":"Messages to return (newest; default {{{SessionToolLimits.HistoryDefaultLimit}}})."}},
        "required":["sessionKey"],"additionalProperties":false}
        """;

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        string keyText;
        int limit;
        try
        {
            var arguments = new GatewayParams(call.Arguments);
            keyText = arguments.RequiredString("sessionKey", SessionKey.MaxLength, allowEmpty: false);
            limit = (int)(arguments.OptionalInteger("limit", 1, SessionToolLimits.HistoryMaxLimit) ?? SessionToolLimits.HistoryDefaultLimit);
        }
        catch (GatewayParamsException ex)
        {
            throw SessionToolText.Invalid(Name, ex);
        }

        var (key, session) = SessionToolText.Find(context.Gateway, keyText);
        var messages = session.Messages.TakeLast(limit).ToList();
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("sessionKey", key.Value);
            writer.WriteString("sessionId", session.SessionId);
            SessionToolText.WriteMessages(writer, "messages", messages);
            writer.WriteBoolean("hasMore", session.Messages.Count > messages.Count);
            writer.WriteNumber("totalMessages", session.Messages.Count);
        });
        return Task.FromResult(ToolResult.Ok(payload, payload, $"{key.Value} ({messages.Count} messages)"));
    }
}
