using Microsoft.Extensions.Logging;

namespace OpenClaw.Operations.Admin;

internal static partial class AdminLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Tenant {TenantId} purged: {Records} state records, {Files} workspace files, {Tokens} tokens")]
    public static partial void TenantPurged(ILogger logger, string tenantId, int records, int files, int tokens);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Tenant {TenantId} exported: {Records} state records, {Files} workspace files, {Bytes} bytes")]
    public static partial void TenantExported(ILogger logger, string tenantId, int records, int files, long bytes);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Tenant {TenantId} imported ({Mode}): {Records} state records, {Files} workspace files")]
    public static partial void TenantImported(ILogger logger, string tenantId, string mode, int records, int files);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Tenant {TenantId}: the change notice to its active grain failed; it applies at the next activation")]
    public static partial void NotifyFailed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Archive import refused: {Problem}")]
    public static partial void ImportRefused(ILogger logger, string problem);
}
