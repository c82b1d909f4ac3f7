using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

public sealed class TimerAndObserverTests
{
    [Fact]
    public async Task Timers_tick_without_overlapping_and_stop_on_deactivation()
    {
        await using var silo = await TestSilo.StartAsync(typeof(GatedTimerGrain).Assembly);
        var key = GrainProbe.UniqueKey("timer");
        var grain = silo.GrainFactory.GetGrain<IGatedTimerGrain>(key);
        var probe = TimerProbe.Of(key);
        var period = TimeSpan.FromSeconds(10);
        try
        {
            await grain.Start(period);

            silo.Time.Advance(period);
            await probe.Entered(1).WaitAsync(Deadline);

            // The first tick is held open across three more periods. Ticks interleave, so a timer that
            // re-armed itself while a tick runs would start more of them; Ticks() is queued after them.
            for (var i = 0; i < 3; i++) silo.Time.Advance(period);
            Assert.Equal(1, await grain.Ticks());

            // The next tick comes one period after the previous one has ended.
            probe.Release(1);
            await probe.Exited(1).WaitAsync(Deadline);
            Assert.Equal(1, await grain.Ticks()); // also lets the tick's turn end, which arms the next one
            silo.Time.Advance(period - TimeSpan.FromSeconds(1));
            Assert.Equal(1, await grain.Ticks());
            silo.Time.Advance(TimeSpan.FromSeconds(1));
            await probe.Entered(2).WaitAsync(Deadline);
            probe.Release(2);
            await probe.Exited(2).WaitAsync(Deadline);
            Assert.Equal(1, probe.MaxConcurrent);

            // After deactivation the timer neither ticks nor follows the grain into its next activation.
            await silo.DeactivateAsync<IGatedTimerGrain>(key);
            Assert.Equal(2, await grain.Ticks()); // the new activation, before the clock moves
            silo.Time.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal(2, await grain.Ticks()); // queued after anything the advance could have queued
            Assert.Equal(2, probe.Ticks);
        }
        finally
        {
            probe.ReleaseAll(); // held ticks would otherwise keep the silo from stopping and hide the failure
        }
    }

    [Fact]
    public async Task A_timer_does_not_keep_its_grain_alive_unless_asked()
    {
        await using var silo = await TestSilo.StartAsync(typeof(TimerGrain).Assembly);
        var quiet = GrainProbe.UniqueKey("quiet-timer");
        var keeper = GrainProbe.UniqueKey("keepalive-timer");
        await silo.GrainFactory.GetGrain<ITimerGrain>(quiet).Start(TimeSpan.FromMinutes(1), keepAlive: false);
        await silo.GrainFactory.GetGrain<ITimerGrain>(keeper).Start(TimeSpan.FromMinutes(1), keepAlive: true);

        for (var i = 0; i < 31; i++)
        {
            silo.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(5);
        }
        await silo.Runtime.CollectIdleActivationsAsync();
        Assert.False(silo.IsActive<ITimerGrain>(quiet));
        Assert.True(silo.IsActive<ITimerGrain>(keeper));
        Assert.Equal([DeactivationReasonCode.ActivationIdle], GrainProbe.DeactivationsOf(quiet));
    }

    [Fact]
    public async Task Observers_receive_callbacks_and_deleted_ones_are_dropped()
    {
        await using var silo = await TestSilo.StartAsync(typeof(PublisherGrain).Assembly);
        var grain = silo.GrainFactory.GetGrain<IPublisherGrain>(GrainProbe.UniqueKey("publisher"));
        var first = new NumberCollector();
        var second = new NumberCollector();
        var firstRef = silo.GrainFactory.CreateObjectReference<INumberObserver>(first);
        var secondRef = silo.GrainFactory.CreateObjectReference<INumberObserver>(second);
        await grain.Subscribe("a", firstRef);
        await grain.Subscribe("b", secondRef);

        Assert.Equal(2, await grain.Publish(1));
        Assert.Equal(2, await grain.Publish(2));
        await first.WaitFor(2);
        await second.WaitFor(2);
        Assert.Equal([1, 2], first.Values);

        silo.GrainFactory.DeleteObjectReference(secondRef);
        Assert.Equal(1, await grain.Publish(3)); // the dead observer was dropped on delivery
        await first.WaitFor(3);
        Assert.Equal([1, 2], second.Values);
        Assert.Equal(1, await grain.SubscriberCount());
    }

    [Fact]
    public async Task Attached_observers_keep_a_grain_active_and_expired_subscriptions_do_not()
    {
        await using var silo = await TestSilo.StartAsync(typeof(PublisherGrain).Assembly);
        var key = GrainProbe.UniqueKey("observed");
        var grain = silo.GrainFactory.GetGrain<IPublisherGrain>(key);
        await grain.Subscribe("a", silo.GrainFactory.CreateObjectReference<INumberObserver>(new NumberCollector()));

        // Nobody calls for 45 minutes (past the 30 minute collection age): the subscription keeps it.
        Assert.Equal(0, await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(45)));
        Assert.True(silo.IsActive<IPublisherGrain>(key));

        // The subscription expires after an hour without renewal; then the grain is idle.
        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(20));
        Assert.False(silo.IsActive<IPublisherGrain>(key));
    }

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private sealed class NumberCollector : INumberObserver
    {
        private readonly List<int> _values = [];

        public int[] Values { get { lock (_values) return [.. _values]; } }

        public void OnNumber(int value)
        {
            lock (_values) _values.Add(value);
        }

        public async Task WaitFor(int count)
        {
            for (var i = 0; i < 500 && Values.Length < count; i++) await Task.Delay(10);
            Assert.True(Values.Length >= count, $"expected {count} callbacks, got {Values.Length}");
        }
    }
}
