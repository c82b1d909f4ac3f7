namespace OpenClaw.Runtime.Tests.Reminders;

/// <summary>Tick arithmetic, the ownership ring, the schedule and serialization, without a silo.</summary>
public sealed class ReminderUnitTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Next_tick_is_the_first_one_strictly_after()
    {
        Assert.Equal(Start, ReminderTicks.NextAfter(Start, Minute, Start - TimeSpan.FromHours(1)));
        Assert.Equal(Start + Minute, ReminderTicks.NextAfter(Start, Minute, Start));
        Assert.Equal(Start + 3 * Minute, ReminderTicks.NextAfter(Start, Minute, Start + 2.5 * Minute));
        Assert.Equal(Start + 2 * Minute, ReminderTicks.LatestAtOrBefore(Start, Minute, Start + 2.5 * Minute));
    }

    [Fact]
    public void A_loaded_reminder_fires_its_start_or_one_catch_up_tick()
    {
        var entry = new ReminderEntry(new GrainId("t", "k"), "r", Start, Minute, "1");
        Assert.Equal(Start, ReminderTicks.FirstToDeliver(new ReminderRow(entry, null), Start - Minute));
        // Never delivered, ten ticks overdue: one tick, the latest.
        Assert.Equal(Start + 10 * Minute, ReminderTicks.FirstToDeliver(new ReminderRow(entry, null), Start + 10.5 * Minute));
        // Delivered up to now: the next one in the future.
        Assert.Equal(Start + 11 * Minute, ReminderTicks.FirstToDeliver(new ReminderRow(entry, Start + 10 * Minute), Start + 10.5 * Minute));
    }

    [Fact]
    public void The_ring_gives_every_hash_to_exactly_one_silo_and_ranges_agree_with_owners()
    {
        var silos = Enumerable.Range(0, 3).Select(i => new SiloAddress("10.0.0." + i, 11111, 42)).ToArray();
        var ring = new ReminderRing(silos, 16);
        var ranges = silos.ToDictionary(s => s, s => ring.RangesOf(s));
        var all = ranges.Values.SelectMany(r => r).OrderBy(r => r.Start).ToList();
        Assert.Equal(0u, all[0].Start);
        Assert.Equal(uint.MaxValue, all[^1].End);
        for (var i = 1; i < all.Count; i++) Assert.Equal((ulong)all[i - 1].End + 1, all[i].Start);

        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            var hash = (uint)random.NextInt64(0, (long)uint.MaxValue + 1);
            var owner = ring.OwnerOf(hash);
            Assert.Contains(ranges[owner], r => r.Contains(hash));
        }
        foreach (var edge in new[] { 0u, uint.MaxValue }) Assert.Contains(ranges[ring.OwnerOf(edge)], r => r.Contains(edge));
    }

    [Fact]
    public void A_silo_leaving_moves_only_its_own_hashes()
    {
        var silos = Enumerable.Range(0, 4).Select(i => new SiloAddress("10.0.0." + i, 11111, 42)).ToArray();
        var before = new ReminderRing(silos, 32);
        var after = new ReminderRing(silos[..3], 32);
        var random = new Random(3);
        var moved = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var hash = (uint)random.NextInt64(0, (long)uint.MaxValue + 1);
            var was = before.OwnerOf(hash);
            if (was != silos[3]) Assert.Equal(was, after.OwnerOf(hash));
            else moved++;
        }
        Assert.InRange(moved, 1000, 4000); // about a quarter
    }

    [Fact]
    public void The_hash_is_stable()
    {
        // Stored in tables: it must never change between builds or processes.
        Assert.Equal(ReminderHash.Of("user/alice"), ReminderHash.Of(new GrainId("user", "alice")));
        Assert.Equal(793107893u, ReminderHash.Of("user/alice"));
    }

    [Fact]
    public void The_schedule_orders_by_due_time_and_skips_replaced_and_removed_reminders()
    {
        var schedule = new ReminderSchedule();
        ScheduledReminder Make(string name, int minutes) =>
            new(new ReminderEntry(new GrainId("t", "k"), name, Start, Minute, name), 1, Start + minutes * Minute);
        schedule.Set(Make("a", 3));
        schedule.Set(Make("b", 1));
        schedule.Set(Make("c", 2));
        schedule.Set(Make("b", 5)); // replaces b
        schedule.Remove(new GrainId("t", "k"), "c");
        Assert.Equal((Start + 3 * Minute).UtcTicks, schedule.EarliestDue());
        Assert.False(schedule.TryTakeDue((Start + 2 * Minute).UtcTicks, out _));
        Assert.True(schedule.TryTakeDue((Start + 10 * Minute).UtcTicks, out var first));
        Assert.Equal("a", first.Entry.Name);
        Assert.True(schedule.TryTakeDue((Start + 10 * Minute).UtcTicks, out var second));
        Assert.Equal("b", second.Entry.Name);
        Assert.False(schedule.TryTakeDue((Start + 10 * Minute).UtcTicks, out _));
        Assert.Equal(2, schedule.Count);
    }

    [Fact]
    public void Reminder_entries_and_ticks_cross_grain_boundaries()
    {
        var entry = new ReminderEntry(new GrainId("user", "a/b"), "r", Start, Minute, "e1");
        Assert.Contains("\"grainId\":\"user/a/b\"", System.Text.Encoding.UTF8.GetString(GrainSerializer.SerializeToUtf8Bytes(entry)));
        Assert.Equal(entry, GrainSerializer.Deserialize<ReminderEntry>(GrainSerializer.SerializeToUtf8Bytes(entry)));
        IReadOnlyList<ReminderEntry> list = [entry];
        Assert.Equal(entry, Assert.Single(GrainSerializer.Deserialize<IReadOnlyList<ReminderEntry>>(GrainSerializer.SerializeToUtf8Bytes(list))!));
        var tick = new TickStatus(Start, Minute, Start + Minute);
        Assert.Equal(tick, GrainSerializer.Deserialize<TickStatus>(GrainSerializer.SerializeToUtf8Bytes(tick)));
    }
}
