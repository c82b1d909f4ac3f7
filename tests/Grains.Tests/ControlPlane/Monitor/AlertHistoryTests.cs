using OpenClaw.Grains.Interfaces;
using static OpenClaw.Grains.Tests.ControlPlane.Monitor.FakeClusterStatsReader;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>The history is bounded and newest first; alerts and history live in grain storage.</summary>
public sealed class AlertHistoryTests
{
    [Fact]
    public async Task History_keeps_the_newest_alerts_up_to_its_limit_newest_first()
    {
        await using var harness = await MonitorHarness.StartAsync(o =>
        {
            o.HistoryLimit = 5;
            o.Rules.Memory.RaiseAfter = 1;
            o.Rules.Memory.ResolveAfter = 1;
        });

        var raised = new List<AlertRecord>();
        for (var i = 0; i < 8; i++)
        {
            harness.Stats.Set(Silo("s1", workingSetMb: 600 + i));
            raised.Add(Assert.Single(await harness.StepAsync()));
            harness.Stats.Set(Silo("s1", workingSetMb: 100));
            Assert.Empty(await harness.StepAsync());
        }

        var history = await harness.Monitor.GetAlertHistory(100);
        Assert.Equal(raised.Skip(3).Reverse().Select(a => a.Id), history.Select(a => a.Id));
        Assert.All(history, a => Assert.NotNull(a.ResolvedAt));
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.RaisedAt > p.Second.RaisedAt));
        Assert.Equal(raised.TakeLast(2).Reverse().Select(a => a.Id), (await harness.Monitor.GetAlertHistory(2)).Select(a => a.Id));
    }

    [Fact]
    public async Task Active_alerts_and_history_survive_deactivation_and_the_new_activation_resolves_them()
    {
        await using var harness = await MonitorHarness.StartAsync();
        harness.Stats.Set(Silo("s1", workingSetMb: 700), Silo("s2", activations: 900, maxActivations: 1000));
        var before = await harness.StepAsync(2);
        Assert.Equal(2, before.Count);

        await harness.Silo.DeactivateAsync<IMonitorGrain>(IMonitorGrain.ClusterKey);
        Assert.False(harness.Silo.IsActive<IMonitorGrain>(IMonitorGrain.ClusterKey));

        var after = await harness.Monitor.GetActiveAlerts();
        Assert.True(harness.Silo.IsActive<IMonitorGrain>(IMonitorGrain.ClusterKey));
        Assert.Equal(before, after);
        Assert.Equal(before.Select(a => a.Id).Order(), (await harness.Monitor.GetAlertHistory(10)).Select(a => a.Id).Order());

        // Still high: the same alerts, no new ones; then low: the stored ones resolve.
        Assert.Equal(before.Select(a => a.Id), (await harness.StepAsync(3)).Select(a => a.Id));
        harness.Stats.Set(Silo("s1", workingSetMb: 100), Silo("s2", activations: 10, maxActivations: 1000));
        Assert.Empty(await harness.StepAsync(3));
        var history = await harness.Monitor.GetAlertHistory(10);
        Assert.Equal(2, history.Count);
        Assert.All(history, a => Assert.NotNull(a.ResolvedAt));
        Assert.Equal(2, harness.Handler.Transitions.Count(t => t.Kind == OpenClaw.Grains.ControlPlane.Monitor.AlertTransitionKind.Raised));
    }

    [Fact]
    public async Task A_history_limit_that_is_not_positive_is_refused()
    {
        await using var harness = await MonitorHarness.StartAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => harness.Monitor.GetAlertHistory(0));
    }
}
