using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent;

/// <summary>The system prompt of a run, assembled from the tenant's workspace bootstrap files.</summary>
internal static class SystemPromptBuilder
{
    public static Task<string> BuildAsync(GatewayContext context, ChatRun run, SessionRecord session, IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken) =>
        Task.FromResult(context.SystemPrompt);
}
