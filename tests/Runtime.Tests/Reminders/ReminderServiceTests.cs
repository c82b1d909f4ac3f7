using OpenClaw.Runtime.Tests.Persistence;

namespace OpenClaw.Runtime.Tests.Reminders;

/// <summary>One silo, manual clock: reminders fire on time, activate dormant grains, survive restarts.</summary>
public sealed class ReminderServiceTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_registered_reminder_fires_and_activates_the_dormant_grain()
    {
        var probe = new ReminderProbe();
        var (silo, time) = await ReminderSilo.StartAsync(probe);
        await using var _ = silo;
        var grain = silo.GrainFactory.GetGrain<IReminderProbeGrain>("alice");
        var entry = await grain.Register("wake", Minute, TimeSpan.FromHours(1));
        Assert.Equal(ReminderSilo.Epoch + Minute, entry.StartAt);
        await silo.DeactivateAsync<IReminderProbeGrain>("alice");
        Assert.False(silo.IsActive<IReminderProbeGrain>("alice"));

        time.Advance(Minute);

        await Eventually.True(() => probe.Received.Count == 1, "the reminder fired");
        var tick = Assert.Single(probe.Received);
        Assert.Equal(("alice", "wake"), (tick.Key, tick.Name));
        Assert.Equal(new TickStatus(entry.StartAt, TimeSpan.FromHours(1), entry.StartAt), tick.Status);
        Assert.True(silo.IsActive<IReminderProbeGrain>("alice"));
        await Eventually.True(() => silo.Service().NextDue == entry.StartAt + TimeSpan.FromHours(1), "the next tick is scheduled an hour later");
    }

    [Fact]
    public async Task A_reminder_ticks_every_period()
    {
        var probe = new ReminderProbe();
        var (silo, time) = await ReminderSilo.StartAsync(probe);
        await using var _ = silo;
        var entry = await silo.GrainFactory.GetGrain<IReminderProbeGrain>("bob").Register("tick", TimeSpan.Zero, Minute);

        for (var i = 0; i < 3; i++)
        {
            var expected = i + 1;
            await Eventually.True(() => probe.Received.Count == expected && silo.Service().InFlight == 0, $"tick {expected}");
            time.Advance(Minute);
        }
        await Eventually.True(() => probe.Received.Count == 4, "tick 4");
        Assert.Equal(Enumerable.Range(0, 4).Select(k => entry.StartAt + k * Minute), probe.Received.Select(r => r.Status.CurrentTickTime));
    }

    [Fact]
    public async Task Registering_again_replaces_the_schedule()
    {
        var probe = new ReminderProbe();
        var (silo, time) = await ReminderSilo.StartAsync(probe);
        await using var _ = silo;
        var grain = silo.GrainFactory.GetGrain<IReminderProbeGrain>("carol");
        var first = await grain.Register("r", Minute, Minute);
        var second = await grain.Register("r", 10 * Minute, TimeSpan.FromHours(1));
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(second.StartAt, silo.Service().NextDue);

        time.Advance(5 * Minute);
        Assert.Equal(0, silo.Service().InFlight);
        Assert.Empty(probe.Received);

        time.Advance(5 * Minute);
        await Eventually.True(() => probe.Received.Count == 1, "the replacement fired");
        Assert.Equal(TimeSpan.FromHours(1), probe.Received.Single().Status.Period);
        var listed = Assert.Single(await grain.List());
        Assert.Equal(second.ETag, listed.ETag);
    }

    [Fact]
    public async Task An_unregistered_reminder_stops()
    {
        var probe = new ReminderProbe();
        var (silo, time) = await ReminderSilo.StartAsync(probe);
        await using var _ = silo;
        var grain = silo.GrainFactory.GetGrain<IReminderProbeGrain>("dave");
        await grain.Register("r", TimeSpan.Zero, Minute);
        await Eventually.True(() => probe.Received.Count == 1 && silo.Service().InFlight == 0, "the first tick");

        await grain.Unregister("r");
        await grain.Unregister("r"); // a no-op when gone

        Assert.Equal(0, silo.Service().Count);
        Assert.Null(silo.Service().NextDue);
        time.Advance(5 * Minute);
        Assert.Single(probe.Received);
        Assert.Empty(await grain.List());
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_with_backoff_for_the_same_tick()
    {
        var probe = new ReminderProbe();
        probe.FailNext(2);
        var (silo, time) = await ReminderSilo.StartAsync(probe);
        await using var _ = silo;
        var entry = await silo.GrainFactory.GetGrain<IReminderProbeGrain>("erin").Register("r", Minute, TimeSpan.FromHours(1));

        time.Advance(Minute);
        await Eventually.True(() => probe.Attempts == 1 && silo.Service().InFlight == 0, "the first attempt failed");
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1), silo.Service().NextDue);

        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => probe.Attempts == 2 && silo.Service().InFlight == 0, "the second attempt failed");
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(2), silo.Service().NextDue);

        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.True(() => probe.Received.Count == 1, "the third attempt went through");
        Assert.Equal(entry.StartAt, probe.Received.Single().Status.CurrentTickTime);
        await Eventually.True(() => silo.Service().NextDue == entry.StartAt + TimeSpan.FromHours(1), "back to the regular schedule");
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_gives_up_the_tick_at_the_next_one()
    {
        var probe = new ReminderProbe();
        probe.FailNext(1000);
        var (silo, time) = await ReminderSilo.StartAsync(probe);
        await using var _ = silo;
        var entry = await silo.GrainFactory.GetGrain<IReminderProbeGrain>("frank").Register("r", TimeSpan.Zero, TimeSpan.FromSeconds(10));

        // Retries after 1, 2, 4 s; the next would be after 8 s, past the next tick at 10 s.
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var expected = attempt;
            await Eventually.True(() => probe.Attempts == expected && silo.Service().InFlight == 0, $"attempt {expected}");
            if (attempt < 4) time.Advance(silo.Service().NextDue!.Value - time.GetUtcNow());
        }
        Assert.Equal(entry.StartAt + TimeSpan.FromSeconds(10), silo.Service().NextDue);
    }

    [Fact]
    public async Task A_reminder_survives_a_restart_with_the_same_sqlite_file()
    {
        using var directory = new TempDirectory();
        var probe = new ReminderProbe();
        var (first, _) = await ReminderSilo.StartAsync(probe, sqliteDirectory: directory.Path);
        var entry = await first.GrainFactory.GetGrain<IReminderProbeGrain>("gina").Register("persisted", 2 * Minute, TimeSpan.FromHours(1));
        await first.DisposeAsync();
        Assert.Empty(probe.Received);
        Assert.True(File.Exists(Path.Combine(directory.Path, "reminders.db")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.Path, "reminders.db")));

        var (second, time) = await ReminderSilo.StartAsync(probe, sqliteDirectory: directory.Path);
        await using var _ = second;
        Assert.Equal(1, second.Service().Count);
        Assert.False(second.IsActive<IReminderProbeGrain>("gina"));

        time.Advance(2 * Minute);

        await Eventually.True(() => probe.Received.Count == 1, "the reminder fired after the restart");
        Assert.Equal(entry.StartAt, probe.Received.Single().Status.CurrentTickTime);
        Assert.True(second.IsActive<IReminderProbeGrain>("gina"));
    }

    [Fact]
    public async Task Ticks_missed_while_the_silo_was_down_fire_once_at_startup()
    {
        using var directory = new TempDirectory();
        var probe = new ReminderProbe();
        var (first, time) = await ReminderSilo.StartAsync(probe, sqliteDirectory: directory.Path);
        var entry = await first.GrainFactory.GetGrain<IReminderProbeGrain>("hank").Register("r", Minute, Minute);
        time.Advance(Minute);
        await Eventually.True(() => probe.Received.Count == 1 && first.Service().InFlight == 0, "the first tick before the stop");
        await first.DisposeAsync(); // writes the delivered tick

        // Down for ten minutes: nine ticks were missed.
        var restartAt = ReminderSilo.Epoch + 11 * Minute + TimeSpan.FromSeconds(30);
        var (second, _) = await ReminderSilo.StartAsync(probe, sqliteDirectory: directory.Path, start: restartAt);
        await using var _ = second;

        await Eventually.True(() => probe.Received.Count == 2 && second.Service().InFlight == 0, "one catch-up tick");
        Assert.Equal(entry.StartAt + 10 * Minute, probe.Received.Last().Status.CurrentTickTime);
        Assert.Equal(entry.StartAt + 11 * Minute, second.Service().NextDue);
        Assert.Equal(2, probe.Received.Count);
    }

    [Fact]
    public async Task A_tick_delivered_before_a_restart_is_not_fired_again()
    {
        using var directory = new TempDirectory();
        var probe = new ReminderProbe();
        var (first, time) = await ReminderSilo.StartAsync(probe, sqliteDirectory: directory.Path);
        var entry = await first.GrainFactory.GetGrain<IReminderProbeGrain>("ivy").Register("r", Minute, TimeSpan.FromHours(1));
        time.Advance(Minute);
        await Eventually.True(() => probe.Received.Count == 1 && first.Service().InFlight == 0, "the tick before the stop");
        await first.DisposeAsync();

        var (second, _) = await ReminderSilo.StartAsync(probe, sqliteDirectory: directory.Path, start: ReminderSilo.Epoch + 5 * Minute);
        await using var _ = second;
        Assert.Equal(entry.StartAt + TimeSpan.FromHours(1), second.Service().NextDue);
        Assert.Single(probe.Received);
    }

    [Fact]
    public async Task A_table_that_fails_at_registration_gives_an_error_and_nothing_is_scheduled()
    {
        var table = new InMemoryReminderTable();
        var probe = new ReminderProbe();
        var (silo, _) = await ReminderSilo.StartAsync(probe, table);
        await using var _ = silo;
        table.FailWith = new IOException("disk gone");
        var error = await Assert.ThrowsAsync<IOException>(() => silo.GrainFactory.GetGrain<IReminderProbeGrain>("jack").Register("r", Minute, Minute));
        Assert.Equal("disk gone", error.Message);
        Assert.Equal(0, silo.Service().Count);
    }
}
