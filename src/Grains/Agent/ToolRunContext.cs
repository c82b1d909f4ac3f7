using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent;

/// <summary>Where a tool call runs: the tenant, the run and session it belongs to, and the tenant's workspace.</summary>
internal sealed class ToolRunContext
{
    public required GatewayContext Gateway { get; init; }

    public required ChatRun Run { get; init; }

    /// <summary>The id of the tool call being executed.</summary>
    public required string ToolCallId { get; init; }

    /// <summary>The tenant's workspace; every path a tool takes is confined to it.</summary>
    public TenantWorkspace Workspace =>
        Gateway.Workspace ?? throw new AgentToolException("this gateway has no workspace for the tenant");

    public string TenantId => Gateway.TenantId;

    public SessionKey SessionKey => Run.SessionKey;

    /// <summary>Sends a partial result to tool-event clients (<c>phase:"update"</c>); throttled by the caller.</summary>
    public Action<string>? ReportUpdate { get; init; }
}
