using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Tenants;

/// <summary>Log events of the tenant stores (ids 2200–2299). Tokens are never logged.</summary>
internal static partial class TenantStoreLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Tenant store loaded from {Path}: {TenantCount} tenants, {TokenCount} active tokens")]
    public static partial void FileLoaded(ILogger logger, string path, int tenantCount, int tokenCount);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Tenant {TenantId} saved")]
    public static partial void TenantSaved(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Token added for tenant {TenantId}")]
    public static partial void TokenAdded(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "{Count} tokens revoked for tenant {TenantId}")]
    public static partial void TokensRevoked(ILogger logger, string tenantId, int count);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "PostgreSQL tenant store ready (schema {Schema}, version {Version})")]
    public static partial void PostgresReady(ILogger logger, string schema, int version);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Error, Message = "PostgreSQL tenant store schema setup failed")]
    public static partial void PostgresSchemaFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Could not make {Path} private to its owner (it holds tenants' API keys): {Problem}")]
    public static partial void NotRestricted(ILogger logger, string path, string problem);
}
