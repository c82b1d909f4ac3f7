using System.Collections.Concurrent;
using OpenClaw.Runtime;

namespace OpenClaw.Bench.Reminders;

public interface IBenchReminderGrain : IRemindable;

/// <summary>Records how late each tick arrived (wall clock minus the tick's due time).</summary>
public sealed class BenchReminderGrain : Grain, IBenchReminderGrain
{
    public static readonly ConcurrentQueue<double> LatenessMs = new();

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        LatenessMs.Enqueue((DateTimeOffset.UtcNow - status.CurrentTickTime).TotalMilliseconds);
        return Task.CompletedTask;
    }
}
