using OpenClaw.Grains.Interfaces;
using static OpenClaw.Grains.Tests.ControlPlane.Monitor.FakeClusterStatsReader;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>The keeper starts the monitor on its own and the grain's timer evaluates on the interval.</summary>
public sealed class MonitorTimerTests
{
    [Fact]
    public async Task The_keeper_activates_the_monitor_and_its_timer_raises_and_resolves_without_being_asked()
    {
        await using var harness = await MonitorHarness.StartAsync(o =>
        {
            o.Rules.Memory.RaiseAfter = 1;
            o.Rules.Memory.ResolveAfter = 1;
        }, keeper: true);
        harness.Stats.Set(Silo("s1", workingSetMb: 800));

        await Eventually.WaitAsync(() => harness.Silo.IsActive<IMonitorGrain>(IMonitorGrain.ClusterKey), "the keeper to activate the monitor");
        await Eventually.WaitAsync(async () =>
        {
            harness.Silo.Time.Advance(harness.Interval);
            return (await harness.Monitor.GetActiveAlerts()).Count == 1;
        }, "the timer to raise the memory alert");

        harness.Stats.Set(Silo("s1", workingSetMb: 100));
        await Eventually.WaitAsync(async () =>
        {
            harness.Silo.Time.Advance(harness.Interval);
            return (await harness.Monitor.GetActiveAlerts()).Count == 0;
        }, "the timer to resolve it");
        Assert.True(harness.Stats.Reads >= 2);
    }

    [Fact]
    public async Task A_disabled_monitor_does_not_evaluate()
    {
        await using var harness = await MonitorHarness.StartAsync(o => o.Enabled = false, keeper: true);
        harness.Stats.Set(Silo("s1", workingSetMb: 800));
        await harness.Monitor.EnsureRunning();
        for (var i = 0; i < 3; i++) Assert.Empty(await harness.StepAsync());
        Assert.Equal(0, harness.Stats.Reads);
    }
}
