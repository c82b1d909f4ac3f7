using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Nodes;

/// <summary>Log messages of the tenant's nodes, node invokes and exec approvals (event ids 3700–3719).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 3700, Level = LogLevel.Debug, Message = "Tenant {TenantId}: node {NodeId} did not answer {Command} ({InvokeId}) in time; cancelled")]
    public static partial void InvokeTimedOut(ILogger logger, string tenantId, string nodeId, string command, string invokeId);

    [LoggerMessage(EventId = 3701, Level = LogLevel.Warning, Message = "Tenant {TenantId}: ignored a node.invoke.result for {InvokeId} from connection {ConnectionId} (unknown id or not the node it was sent to)")]
    public static partial void ResultIgnored(ILogger logger, string tenantId, string invokeId, string connectionId);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Warning, Message = "Tenant {TenantId}: refused a node payload from connection {ConnectionId}: {Reason}")]
    public static partial void PayloadRefused(ILogger logger, string tenantId, string connectionId, string reason);

    [LoggerMessage(EventId = 3703, Level = LogLevel.Information, Message = "Tenant {TenantId}: node connection {ConnectionId} closed with {Count} invokes pending; they failed")]
    public static partial void InvokesFailedOnDisconnect(ILogger logger, string tenantId, string connectionId, int count);

    [LoggerMessage(EventId = 3704, Level = LogLevel.Information, Message = "Tenant {TenantId}: exec approval {ApprovalId} requested")]
    public static partial void ApprovalRequested(ILogger logger, string tenantId, string approvalId);

    [LoggerMessage(EventId = 3705, Level = LogLevel.Information, Message = "Tenant {TenantId}: exec approval {ApprovalId} resolved {Decision} by {ResolvedBy}")]
    public static partial void ApprovalResolved(ILogger logger, string tenantId, string approvalId, string decision, string resolvedBy);

    [LoggerMessage(EventId = 3706, Level = LogLevel.Information, Message = "Tenant {TenantId}: exec approval {ApprovalId} expired or was withdrawn unanswered")]
    public static partial void ApprovalExpired(ILogger logger, string tenantId, string approvalId);
}
