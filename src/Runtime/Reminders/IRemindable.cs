namespace OpenClaw.Runtime;

/// <summary>
/// A grain that takes durable reminders (see <see cref="IReminderRegistry"/>). The reminder service
/// calls <see cref="ReceiveReminder"/> through an ordinary grain reference, so the call activates the
/// grain wherever placement puts it, on whichever silo: a dormant grain wakes at the due time.
/// A reminder that the grain does not unregister keeps ticking every period.
/// </summary>
public interface IRemindable : IGrainWithStringKey
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>One tick: when the reminder was first due, its period, and the tick's due time.</summary>
[Immutable]
public sealed record TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);
