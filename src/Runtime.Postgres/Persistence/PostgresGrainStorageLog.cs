using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime.Postgres;

internal static partial class PostgresGrainStorageLog
{
    [LoggerMessage(EventId = 3150, Level = LogLevel.Information, Message = "PostgreSQL grain storage '{StorageName}' is ready: table {Table}, schema v{SchemaVersion}")]
    public static partial void Ready(ILogger logger, string storageName, string table, int schemaVersion);

    [LoggerMessage(EventId = 3151, Level = LogLevel.Information, Message = "PostgreSQL grain storage '{StorageName}' rejected a stale {Operation} of {GrainStateKey}: expected ETag {ExpectedEtag}, stored ETag {StoredEtag}")]
    public static partial void StaleEtag(ILogger logger, string storageName, string operation, GrainStateKey grainStateKey, int expectedEtag, int storedEtag);

    [LoggerMessage(EventId = 3152, Level = LogLevel.Error, Message = "PostgreSQL grain storage '{StorageName}' could not prepare its schema; the next call retries")]
    public static partial void SchemaFailed(ILogger logger, Exception exception, string storageName);
}
