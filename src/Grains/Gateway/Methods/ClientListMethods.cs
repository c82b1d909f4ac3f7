using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The lists the TUI loads at startup: <c>agents.list</c> (the tenant's single agent),
/// <c>commands.list</c>, <c>question.list</c>, <c>plugin.approval.list</c> and
/// <c>taskSuggestions.list</c>. This gateway has no gateway-side slash commands, questions,
/// plugin approvals or task suggestions, so those lists are empty but correctly shaped.
/// </summary>
internal sealed class ClientListMethods(GatewayContext context) : IGatewayMethodGroup
{
    public void Register(GatewayMethodTable table)
    {
        table.Add("agents.list", AgentsList);
        table.Add("commands.list", CommandsList);
        table.AddConstant("question.list", """{"questions":[]}""");
        table.AddConstant("plugin.approval.list", "[]");
        table.AddConstant("taskSuggestions.list", """{"suggestions":[]}""");
    }

    private Task<GatewayReply> AgentsList(GatewayRequest request)
    {
        var config = context.Config;
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("defaultId", context.AgentId);
            writer.WriteString("ownership", "sole");
            writer.WriteBoolean("selectionRequired", false);
            writer.WriteString("mainKey", SessionKey.MainName);
            writer.WriteString("scope", "per-sender");
            writer.WriteStartArray("agents");
            writer.WriteStartObject();
            writer.WriteString("id", context.AgentId);
            writer.WriteString("name", config.AgentName);
            writer.WriteStartObject("identity");
            writer.WriteString("name", config.AgentName);
            writer.WriteEndObject();
            writer.WriteString("kind", "agent");
            writer.WriteString("workspace", $"tenants/{context.TenantId}/workspace");
            writer.WriteBoolean("workspaceGit", false);
            ModelDefaultsWriter.WriteAgentRuntime(writer);
            ModelDefaultsWriter.WriteThinking(writer);
            writer.WriteStartObject("model");
            writer.WriteString("primary", config.QualifiedModel);
            writer.WriteEndObject();
            writer.WriteString("defaultPermissionMode", "full");
            writer.WriteEndObject();
            writer.WriteEndArray();
        });
        return Task.FromResult(GatewayReply.Success(payload));
    }

    private Task<GatewayReply> CommandsList(GatewayRequest request)
    {
        SessionParams.AgentId(request, context);
        request.Params.OptionalString("scope", 32);
        request.Params.OptionalBoolean("includeArgs");
        return Task.FromResult(GatewayReply.Success("""{"commands":[]}"""));
    }
}
