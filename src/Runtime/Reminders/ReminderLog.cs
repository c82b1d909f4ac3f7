using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

internal static partial class ReminderLog
{
    [LoggerMessage(1600, LogLevel.Information, "Reminder service loaded {Count} reminders in {Ranges} hash ranges in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, int count, int ranges, long elapsedMs);

    [LoggerMessage(1601, LogLevel.Warning, "Reminder {Name} of {GrainId} (tick {Tick:o}) failed, attempt {Attempt}; retrying at {RetryAt:o}")]
    public static partial void DeliveryFailed(ILogger logger, string name, GrainId grainId, DateTimeOffset tick, int attempt, DateTimeOffset retryAt, Exception exception);

    [LoggerMessage(1602, LogLevel.Warning, "Reminder {Name} of {GrainId} gave up tick {Tick:o} after {Attempts} failed attempts; next tick {Next:o}")]
    public static partial void TickAbandoned(ILogger logger, string name, GrainId grainId, DateTimeOffset tick, int attempts, DateTimeOffset next);

    [LoggerMessage(1603, LogLevel.Warning, "Reading the reminder table failed: {Problem}; keeping the current schedule")]
    public static partial void RefreshFailed(ILogger logger, string problem, Exception exception);

    [LoggerMessage(1604, LogLevel.Warning, "Recording {Count} delivered reminder ticks failed: {Problem}; retrying with the next batch")]
    public static partial void RecordDeliveredFailed(ILogger logger, int count, string problem);

    [LoggerMessage(1605, LogLevel.Debug, "Telling silo {Silo} about reminder {Name} of {GrainId} failed: {Problem}; it reads the table on its next refresh")]
    public static partial void NotifyFailed(ILogger logger, SiloAddress silo, string name, GrainId grainId, string problem);

    [LoggerMessage(1606, LogLevel.Information, "Reminder ownership changed; rereading the table")]
    public static partial void OwnershipChanged(ILogger logger);

    [LoggerMessage(1607, LogLevel.Warning, "Taking the change of reminder {Name} of {GrainId} failed: {Problem}; the next refresh picks it up")]
    public static partial void ApplyFailed(ILogger logger, string name, GrainId grainId, string problem);

    [LoggerMessage(1608, LogLevel.Debug, "Reminder {Name} of {GrainId} delivered (tick {Tick:o})")]
    public static partial void Delivered(ILogger logger, string name, GrainId grainId, DateTimeOffset tick);
}
