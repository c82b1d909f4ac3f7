namespace OpenClaw.Runtime;

/// <summary>Tick arithmetic: a reminder's ticks are <c>StartAt + k * Period</c> for k = 0, 1, 2…</summary>
internal static class ReminderTicks
{
    /// <summary>The first tick strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextAfter(DateTimeOffset startAt, TimeSpan period, DateTimeOffset after)
    {
        if (startAt > after) return startAt;
        var periods = (after - startAt).Ticks / period.Ticks + 1;
        return startAt + TimeSpan.FromTicks(periods * period.Ticks);
    }

    /// <summary>The latest tick at or before <paramref name="at"/> (which must not be before <paramref name="startAt"/>).</summary>
    public static DateTimeOffset LatestAtOrBefore(DateTimeOffset startAt, TimeSpan period, DateTimeOffset at)
    {
        var periods = (at - startAt).Ticks / period.Ticks;
        return startAt + TimeSpan.FromTicks(periods * period.Ticks);
    }

    /// <summary>
    /// The tick a newly loaded reminder delivers next: the first one after the last delivered tick
    /// (or its start); when that is already past, the ticks missed meanwhile collapse into one,
    /// the latest, due at once.
    /// </summary>
    public static DateTimeOffset FirstToDeliver(ReminderRow row, DateTimeOffset now)
    {
        var entry = row.Entry;
        var first = row.LastDeliveredTick is { } delivered ? NextAfter(entry.StartAt, entry.Period, delivered) : entry.StartAt;
        return first > now ? first : LatestAtOrBefore(entry.StartAt, entry.Period, now);
    }
}
