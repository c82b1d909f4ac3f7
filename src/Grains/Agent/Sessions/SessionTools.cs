using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Sessions;

/// <summary>The session tools of one activation (they share the <see cref="SessionSendGuard"/>).</summary>
internal static class SessionTools
{
    public static IEnumerable<IAgentTool> Create(GatewayContext context) =>
        [new SessionsListTool(), new SessionsHistoryTool(), new SessionsSendTool(new SessionSendGuard(context.Time))];
}
