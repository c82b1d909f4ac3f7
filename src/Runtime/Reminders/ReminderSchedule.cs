namespace OpenClaw.Runtime;

/// <summary>One reminder this silo owns, as the schedule keeps it.</summary>
internal sealed class ScheduledReminder(ReminderEntry entry, uint hash, DateTimeOffset tick)
{
    public ReminderEntry Entry { get; } = entry;

    public uint Hash { get; } = hash;

    /// <summary>The tick to deliver next (what <see cref="TickStatus.CurrentTickTime"/> says).</summary>
    public DateTimeOffset Tick { get; set; } = tick;

    /// <summary>When to deliver it: the tick itself, or later when a failed delivery waits for its retry.</summary>
    public long DueAtUtcTicks { get; set; }

    /// <summary>Failed deliveries of <see cref="Tick"/> so far.</summary>
    public int Attempts { get; set; }

    public bool InFlight { get; set; }

    /// <summary>Replaced or removed: a delivery in flight for it records nothing when it ends.</summary>
    public bool Removed { get; set; }

    /// <summary>Identifies the current queue item: older items of this reminder are stale and skipped.</summary>
    public long QueueStamp { get; set; }
}

/// <summary>
/// The reminders one silo owns, keyed by grain and name, and a priority queue of their due times:
/// the service keeps a single timer for the earliest, so 100,000 idle reminders cost nothing.
/// Replaced and removed reminders leave stale queue items, skipped when they surface and dropped
/// when the queue grows much larger than the schedule. Not thread-safe (the service locks).
/// </summary>
internal sealed class ReminderSchedule
{
    private readonly Dictionary<(GrainId Grain, string Name), ScheduledReminder> _byKey = [];
    private readonly PriorityQueue<(ScheduledReminder Reminder, long Stamp), long> _queue = new();

    public int Count => _byKey.Count;

    public IEnumerable<ScheduledReminder> All => _byKey.Values;

    public ScheduledReminder? Find(GrainId grainId, string name) => _byKey.GetValueOrDefault((grainId, name));

    /// <summary>Adds <paramref name="reminder"/> (replacing any with its key) and queues it for its tick.</summary>
    public void Set(ScheduledReminder reminder)
    {
        var key = (reminder.Entry.GrainId, reminder.Entry.Name);
        if (_byKey.Remove(key, out var previous)) previous.Removed = true;
        _byKey[key] = reminder;
        Enqueue(reminder, reminder.Tick.UtcTicks);
    }

    public bool Remove(GrainId grainId, string name)
    {
        if (!_byKey.Remove((grainId, name), out var previous)) return false;
        previous.Removed = true;
        return true;
    }

    public void Enqueue(ScheduledReminder reminder, long dueAtUtcTicks)
    {
        reminder.DueAtUtcTicks = dueAtUtcTicks;
        reminder.QueueStamp++;
        _queue.Enqueue((reminder, reminder.QueueStamp), dueAtUtcTicks);
        if (_queue.Count > 2 * _byKey.Count + 1024) Compact();
    }

    /// <summary>The earliest due time of a live queue item, or null when nothing is queued.</summary>
    public long? EarliestDue()
    {
        while (_queue.TryPeek(out var item, out var due))
        {
            if (IsLive(item)) return due;
            _queue.Dequeue();
        }
        return null;
    }

    /// <summary>Takes the earliest reminder due at or before <paramref name="nowUtcTicks"/>.</summary>
    public bool TryTakeDue(long nowUtcTicks, out ScheduledReminder reminder)
    {
        while (_queue.TryPeek(out var item, out var due))
        {
            if (!IsLive(item))
            {
                _queue.Dequeue();
                continue;
            }
            if (due > nowUtcTicks) break;
            _queue.Dequeue();
            reminder = item.Reminder;
            return true;
        }
        reminder = null!;
        return false;
    }

    private static bool IsLive((ScheduledReminder Reminder, long Stamp) item) =>
        !item.Reminder.Removed && !item.Reminder.InFlight && item.Reminder.QueueStamp == item.Stamp;

    private void Compact()
    {
        var live = new List<((ScheduledReminder, long), long)>(_byKey.Count);
        while (_queue.TryDequeue(out var item, out var due))
            if (IsLive(item)) live.Add((item, due));
        _queue.EnqueueRange(live);
    }
}
