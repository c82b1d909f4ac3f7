namespace OpenClaw.Runtime;

/// <summary>
/// Durable reminders: stored in the cluster's reminder table, they survive silo restarts and silo loss
/// and fire on whichever silo owns them (see the reminder service) by calling
/// <see cref="IRemindable.ReceiveReminder"/> on the grain. Keyed by grain and reminder name; registering
/// the same name again replaces the schedule. Resolved from the silo's services by grains.
/// </summary>
public interface IReminderRegistry
{
    /// <summary>
    /// Registers or replaces <paramref name="name"/> of <paramref name="grainId"/>: first due after
    /// <paramref name="dueTime"/>, then every <paramref name="period"/> until unregistered.
    /// </summary>
    Task<ReminderEntry> RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken = default);

    /// <summary>Removes the reminder; no-op when it does not exist.</summary>
    Task UnregisterAsync(GrainId grainId, string name, CancellationToken cancellationToken = default);

    Task<ReminderEntry?> GetAsync(GrainId grainId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReminderEntry>> ListAsync(GrainId grainId, CancellationToken cancellationToken = default);
}

/// <summary>A stored reminder: first due at <see cref="StartAt"/>, then every <see cref="Period"/>.</summary>
[Immutable]
public sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period, string ETag);
