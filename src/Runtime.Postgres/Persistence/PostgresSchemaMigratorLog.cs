using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime.Postgres;

internal static partial class PostgresSchemaMigratorLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Applied schema migration {Component} v{Version} in schema {SchemaName}")]
    public static partial void Applied(ILogger logger, string component, int version, string schemaName);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Debug, Message = "Schema of {Component} in schema {SchemaName} is up to date at v{Version}")]
    public static partial void UpToDate(ILogger logger, string component, string schemaName, int version);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Schema of {Component} in schema {SchemaName} is at v{DatabaseVersion}, newer than this build knows (v{KnownVersion}); continuing without changes")]
    public static partial void DatabaseIsNewer(ILogger logger, string component, string schemaName, int databaseVersion, int knownVersion);
}
