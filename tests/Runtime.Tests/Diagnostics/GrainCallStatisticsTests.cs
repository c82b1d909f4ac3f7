using OpenClaw.Runtime.Diagnostics;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Runtime.Tests.Diagnostics;

public sealed class GrainCallStatisticsTests
{
    [Fact]
    public async Task Calls_failures_and_activations_are_counted_per_silo()
    {
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly);
        var statistics = silo.Services.GetRequiredService<GrainCallStatistics>();
        var before = statistics.Snapshot();
        var key = GrainProbe.UniqueKey("stats");
        var grain = silo.GrainFactory.GetGrain<ICounterGrain>(key);

        for (var i = 0; i < 10; i++) await grain.Increment();
        await Assert.ThrowsAnyAsync<Exception>(() => grain.Fail("boom"));
        await silo.DeactivateAsync<ICounterGrain>(key);

        var after = statistics.Snapshot();
        Assert.Equal(11, after.CallsTotal - before.CallsTotal);
        Assert.Equal(1, after.CallFailuresTotal - before.CallFailuresTotal);
        Assert.Equal(1, after.ActivationsCreatedTotal - before.ActivationsCreatedTotal);
        Assert.Equal(1, after.ActivationsDeactivatedTotal - before.ActivationsDeactivatedTotal);
        Assert.True(after.RecentCalls >= 11);
        Assert.True(after.CallLatencyP99Ms >= after.CallLatencyP50Ms);

        var counter = silo.Services.GetRequiredService<RuntimeInstruments>().GrainTypes.Single(t => t.GrainType == silo.GrainIdOf<ICounterGrain>(key).Type);
        Assert.Equal(0, counter.Activations);
    }

    [Fact]
    public async Task Idle_collection_counts_as_collected()
    {
        await using var silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly, o => o.CollectionAge = TimeSpan.FromMinutes(5));
        var statistics = silo.Services.GetRequiredService<GrainCallStatistics>();
        var before = statistics.Snapshot();
        await silo.GrainFactory.GetGrain<ICounterGrain>(GrainProbe.UniqueKey("collected")).Increment();

        await silo.AdvanceAndCollectAsync(TimeSpan.FromMinutes(6));

        Assert.Equal(1, statistics.Snapshot().ActivationsCollectedTotal - before.ActivationsCollectedTotal);
    }
}
