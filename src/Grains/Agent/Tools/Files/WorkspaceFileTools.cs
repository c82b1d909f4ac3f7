namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>The tools over the tenant's workspace files (AGENT.md §2 <c>group:fs</c> plus <c>ls</c>).</summary>
internal static class WorkspaceFileTools
{
    public static IEnumerable<IAgentTool> Create() =>
        [new ReadTool(), new WriteTool(), new EditTool(), new ApplyPatchTool(), new ListTool()];
}
