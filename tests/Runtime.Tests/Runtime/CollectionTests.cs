using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

public sealed class CollectionTests
{
    [Fact]
    public async Task Idle_activations_are_deactivated_at_the_collection_age()
    {
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly, o => o.CollectionAge = TimeSpan.FromMinutes(30));
        var key = GrainProbe.UniqueKey("idle");
        await silo.GrainFactory.GetGrain<ICounterGrain>(key).Increment();

        Assert.Equal(0, await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(29)));
        Assert.True(silo.IsActive<ICounterGrain>(key));

        // The silo's own collector may run the pass first (its quantum elapses on the same clock).
        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(2));
        Assert.False(silo.IsActive<ICounterGrain>(key));
        Assert.Equal([DeactivationReasonCode.ActivationIdle], GrainProbe.DeactivationsOf(key));
        Assert.Equal(0, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Calls_reset_the_idle_clock()
    {
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly);
        var key = GrainProbe.UniqueKey("busy");
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>(key);
        for (var i = 0; i < 5; i++)
        {
            await grain.Increment();
            Assert.Equal(0, await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(20)));
        }
        Assert.True(silo.IsActive<ICounterGrain>(key));
    }

    [Fact]
    public async Task A_collection_age_can_be_set_per_grain_class()
    {
        await using var silo = await TestSilo.StartAsync(typeof(ShortLivedGrain).Assembly);
        var shortKey = GrainProbe.UniqueKey("short");
        var longKey = GrainProbe.UniqueKey("long");
        await silo.GrainFactory.GetGrain<IShortLivedGrain>(shortKey).Ping();
        await silo.GrainFactory.GetGrain<ICounterGrain>(longKey).Increment();

        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(3));
        Assert.False(silo.IsActive<IShortLivedGrain>(shortKey));
        Assert.True(silo.IsActive<ICounterGrain>(longKey));
    }

    [Fact]
    public async Task Configured_per_type_age_wins_over_the_attribute()
    {
        await using var silo = await TestSilo.StartAsync(typeof(ShortLivedGrain).Assembly,
            o => o.ClassSpecificCollectionAge["shortlived"] = TimeSpan.FromHours(1));
        var key = GrainProbe.UniqueKey("short-configured");
        await silo.GrainFactory.GetGrain<IShortLivedGrain>(key).Ping();
        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(30));
        Assert.True(silo.IsActive<IShortLivedGrain>(key));
    }

    [Fact]
    public async Task DelayDeactivation_and_pinning_keep_an_idle_activation()
    {
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly);
        var delayed = GrainProbe.UniqueKey("delayed");
        var pinned = GrainProbe.UniqueKey("pinned");
        await silo.GrainFactory.GetGrain<ICounterGrain>(delayed).KeepAliveFor(TimeSpan.FromHours(2));
        await silo.GrainFactory.GetGrain<ICounterGrain>(pinned).Pin(true);

        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(90));
        Assert.True(silo.IsActive<ICounterGrain>(delayed));
        Assert.True(silo.IsActive<ICounterGrain>(pinned));

        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(40));
        Assert.False(silo.IsActive<ICounterGrain>(delayed));
        Assert.True(silo.IsActive<ICounterGrain>(pinned));

        await silo.GrainFactory.GetGrain<ICounterGrain>(pinned).Pin(false);
        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(31));
        Assert.False(silo.IsActive<ICounterGrain>(pinned));
    }

    [Fact]
    public async Task Over_capacity_the_least_recently_used_idle_activations_go_first_and_busy_ones_stay()
    {
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly, o => o.MaxActivations = 5);
        var gate = GrainProbe.UniqueKey("gate");
        var busyKey = GrainProbe.UniqueKey("busy");
        // The oldest activation is busy: its turn is held open.
        var held = silo.GrainFactory.GetGrain<ISequenceGrain>(busyKey).Hold(gate);
        silo.Time.Advance(TimeSpan.FromSeconds(1));

        var keys = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var key = GrainProbe.UniqueKey($"lru{i}");
            keys.Add(key);
            await silo.GrainFactory.GetGrain<ICounterGrain>(key).Increment();
            silo.Time.Advance(TimeSpan.FromSeconds(1));
        }
        await silo.GrainFactory.GetGrain<ICounterGrain>(keys[0]).Increment(); // keys[0] is now the most recent
        silo.Time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 4; i < 7; i++)
        {
            var key = GrainProbe.UniqueKey($"lru{i}");
            keys.Add(key);
            await silo.GrainFactory.GetGrain<ICounterGrain>(key).Increment();
            silo.Time.Advance(TimeSpan.FromSeconds(1));
        }

        // 8 activations, capacity 5: the 3 least recently used idle ones are keys 1, 2, 3.
        await ActivationLifecycleTests.WaitUntil(() => silo.Runtime.ActivationCount <= 5);
        await silo.Runtime.EvictOverCapacityAsync();
        Assert.Equal(5, silo.Runtime.ActivationCount);
        Assert.True(silo.IsActive<ISequenceGrain>(busyKey));
        Assert.True(silo.IsActive<ICounterGrain>(keys[0]));
        foreach (var evicted in keys.Skip(1).Take(3))
        {
            Assert.False(silo.IsActive<ICounterGrain>(evicted));
            Assert.Equal([DeactivationReasonCode.CapacityEviction], GrainProbe.DeactivationsOf(evicted));
        }
        foreach (var kept in keys.Skip(4)) Assert.True(silo.IsActive<ICounterGrain>(kept));

        GrainProbe.Gate(gate).SetResult();
        await held;
    }

    [Fact]
    public async Task A_busy_activation_is_never_collected_even_past_its_age()
    {
        await using var silo = await TestSilo.StartAsync(typeof(SequenceGrain).Assembly);
        var gate = GrainProbe.UniqueKey("gate");
        var key = GrainProbe.UniqueKey("held");
        var grain = silo.GrainFactory.GetGrain<ISequenceGrain>(key);
        var held = grain.Hold(gate);
        while (!(await grain.Peek("probe")).EndsWith("running=1", StringComparison.Ordinal)) await Task.Delay(5); // the turn is running

        Assert.Equal(0, await silo.AdvanceAndCollectAsync(TimeSpan.FromHours(2)));
        Assert.True(silo.IsActive<ISequenceGrain>(key));
        GrainProbe.Gate(gate).SetResult();
        await Assert.ThrowsAnyAsync<Exception>(() => held); // its caller timed out meanwhile (2 h of fake time)
    }
}
