namespace OpenClaw.Silo;

internal static partial class SiloLog
{
    [LoggerMessage(2001, LogLevel.Information, "Tenant {TenantId} provisioned from configuration")]
    public static partial void TenantSeeded(ILogger logger, string tenantId);

    [LoggerMessage(2002, LogLevel.Information, "Storage: {Provider} ({Location})")]
    public static partial void StorageSelected(ILogger logger, string provider, string location);

    [LoggerMessage(2003, LogLevel.Information, "OpenClaw gateway listening on {Url}")]
    public static partial void Listening(ILogger logger, string url);
}
