using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>Log events of the tenant registries (ids 2200–2299). Tokens and API keys are never logged.</summary>
internal static partial class TenantStoreLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Tenant registry opened at {Path}: schema version {Version}")]
    public static partial void SqliteOpened(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Tenant {TenantId} saved")]
    public static partial void TenantSaved(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Token {TokenId} added for tenant {TenantId}")]
    public static partial void TokenAdded(ILogger logger, string tenantId, string tokenId);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "{Count} tokens revoked for tenant {TenantId}")]
    public static partial void TokensRevoked(ILogger logger, string tenantId, int count);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "PostgreSQL tenant registry ready (schema {Schema}, version {Version})")]
    public static partial void PostgresReady(ILogger logger, string schema, int version);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Error, Message = "PostgreSQL tenant registry schema setup failed")]
    public static partial void PostgresSchemaFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Could not make {Path} private to its owner (it holds tenants' data): {Problem}")]
    public static partial void NotRestricted(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Information, Message = "{Count} tenants saved")]
    public static partial void TenantsSaved(ILogger logger, int count);

    [LoggerMessage(EventId = 2208, Level = LogLevel.Information, Message = "Tenant {TenantId} is now {Status}")]
    public static partial void StatusSet(ILogger logger, string tenantId, TenantStatus status);

    [LoggerMessage(EventId = 2209, Level = LogLevel.Information, Message = "Tenant {TenantId} purged from the registry")]
    public static partial void TenantPurged(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Information, Message = "Token {OldTokenId} of tenant {TenantId} rotated to {NewTokenId}")]
    public static partial void TokenRotated(ILogger logger, string tenantId, string oldTokenId, string newTokenId);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Warning, Message = "Could not record the last use of a token of tenant {TenantId}")]
    public static partial void LastUsedFailed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Information, Message = "Migrated the old tenant store {Path} into the registry: {TenantCount} tenants, {TokenCount} tokens; the old file is now {MigratedPath}")]
    public static partial void LegacyMigrated(ILogger logger, string path, int tenantCount, int tokenCount, string migratedPath);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Warning, Message = "{Path} still holds tenants' API keys in plaintext (the registry keeps them encrypted): delete it once this version runs well")]
    public static partial void LegacyFileHoldsKeys(ILogger logger, string path);

}
