using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Agent.Web;

/// <summary>Log events of the <c>web_fetch</c> tool (ids 2450–2469).</summary>
internal static partial class WebFetchLog
{
    [LoggerMessage(EventId = 2450, Level = LogLevel.Information, Message = "web_fetch refused for tenant {TenantId}: {Reason}")]
    public static partial void Refused(ILogger logger, string tenantId, string reason);

    [LoggerMessage(EventId = 2451, Level = LogLevel.Debug, Message = "web_fetch for tenant {TenantId}: {Url} answered {Status} ({Bytes} bytes, {Redirects} redirects)")]
    public static partial void Fetched(ILogger logger, string tenantId, string url, int status, int bytes, int redirects);

    [LoggerMessage(EventId = 2452, Level = LogLevel.Information, Message = "web_fetch for tenant {TenantId} could not reach {Host}")]
    public static partial void Unreachable(ILogger logger, string tenantId, string host, Exception exception);
}
