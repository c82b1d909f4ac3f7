using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Gateway;

/// <summary>Log messages of the agent loop (tool rounds and tool calls).</summary>
internal static partial class AgentLoopLog
{
    [LoggerMessage(EventId = 3660, Level = LogLevel.Error, Message = "Tenant {TenantId}: run {RunId}: tool {Tool} (call {ToolCallId}) failed unexpectedly")]
    public static partial void ToolFailed(ILogger logger, string tenantId, string runId, string tool, string toolCallId, Exception exception);

    [LoggerMessage(EventId = 3661, Level = LogLevel.Information, Message = "Tenant {TenantId}: run {RunId}: tool {Tool} (call {ToolCallId}) timed out after {TimeoutSeconds} s")]
    public static partial void ToolTimedOut(ILogger logger, string tenantId, string runId, string tool, string toolCallId, double timeoutSeconds);

    [LoggerMessage(EventId = 3662, Level = LogLevel.Warning, Message = "Tenant {TenantId}: run {RunId} stopped after {Rounds} tool rounds: the model kept calling tools")]
    public static partial void ToolRoundsExhausted(ILogger logger, string tenantId, string runId, int rounds);

    [LoggerMessage(EventId = 3663, Level = LogLevel.Debug, Message = "Tenant {TenantId}: run {RunId}: tool {Tool} (call {ToolCallId}) done in {ElapsedMs} ms, error: {IsError}")]
    public static partial void ToolCompleted(ILogger logger, string tenantId, string runId, string tool, string toolCallId, double elapsedMs, bool isError);
}
