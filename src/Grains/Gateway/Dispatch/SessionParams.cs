namespace OpenClaw.Grains.Gateway;

/// <summary>Reads session keys and agent ids from params, refusing agents this tenant does not have.</summary>
internal static class SessionParams
{
    public static SessionKey RequiredKey(GatewayRequest request, GatewayContext context, string name) =>
        OptionalKey(request, context, name) ?? throw new GatewayParamsException($"must have required property '{name}'");

    public static SessionKey? OptionalKey(GatewayRequest request, GatewayContext context, string name)
    {
        var text = request.Params.OptionalString(name, SessionKey.MaxLength, allowEmpty: false);
        if (text is null)
        {
            return null;
        }

        var key = SessionKey.TryParse(text, out var error)
            ?? throw new GatewayParamsException($"'{name}' {error}");
        RequireKnownAgent(key.AgentId, context);
        return key;
    }

    /// <summary>The <c>agentId</c> param (default: the tenant's agent).</summary>
    public static string AgentId(GatewayRequest request, GatewayContext context)
    {
        var agentId = request.Params.OptionalString("agentId", 64, allowEmpty: false)?.Trim().ToLowerInvariant();
        if (agentId is null)
        {
            return context.AgentId;
        }

        RequireKnownAgent(agentId, context);
        return agentId;
    }

    private static void RequireKnownAgent(string agentId, GatewayContext context)
    {
        if (agentId != context.AgentId)
        {
            throw new GatewayParamsException($"unknown agent id \"{agentId}\" (this gateway has one agent: \"{context.AgentId}\")");
        }
    }
}
