using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent;

/// <summary>Which of the catalog's tools a run may use (tools the policy removes are not sent to the model at all).</summary>
internal static class ToolPolicy
{
    public static IReadOnlyList<IAgentTool> ForRun(GatewayContext context, ChatRun run, IReadOnlyList<IAgentTool> tools) => tools;
}
