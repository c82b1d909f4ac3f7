using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent;

/// <summary>
/// Every tool this gateway can offer a tenant's agent, before policy (see <see cref="ToolPolicy"/>).
/// Built once per activation.
/// </summary>
internal static class AgentToolCatalog
{
    public static IReadOnlyList<IAgentTool> Create(GatewayContext context)
    {
        var tools = new List<IAgentTool>();
        // Each tool family adds its tools here, one line each.
        if (context.WebFetch is { } webFetch) tools.Add(new Web.WebFetchTool(webFetch));
        if (context.Workspace is not null) tools.AddRange([new Memory.MemorySearchTool(), new Memory.MemoryGetTool()]);
        tools.AddRange(Sessions.SessionTools.Create(context));
        tools.AddRange(Tools.Files.WorkspaceFileTools.Create());
        tools.AddRange(Gateway.Cron.CronTool.Both());
        tools.Add(new ExecTool());
        return tools;
    }
}
