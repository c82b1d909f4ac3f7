using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime.Sqlite;

internal static partial class SqliteReminderLog
{
    [LoggerMessage(1650, LogLevel.Warning, "Could not make {Path} private to the silo's user: {Problem}")]
    public static partial void NotRestricted(ILogger logger, string path, string problem);
}
