using OpenClaw.Grains.ControlPlane.Monitor;
using static OpenClaw.Grains.Tests.ControlPlane.Monitor.FakeClusterStatsReader;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>A value hovering around a threshold must not raise and resolve over and over.</summary>
public sealed class HysteresisTests : IAsyncLifetime
{
    private MonitorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MonitorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_value_oscillating_across_the_threshold_never_raises()
    {
        for (var i = 0; i < 20; i++)
        {
            _harness.Stats.Set(Silo("s1", workingSetMb: i % 2 == 0 ? 530 : 500));
            Assert.Empty(await _harness.StepAsync());
        }

        Assert.Empty(_harness.Handler.Transitions);
    }

    [Fact]
    public async Task Once_raised_an_oscillating_value_keeps_one_alert_until_it_stays_low()
    {
        _harness.Stats.Set(Silo("s1", workingSetMb: 530));
        var alert = Assert.Single(await _harness.StepAsync(2));

        // Dipping under the resolve level (460.8 MB) now and then is not "for 3 evaluations".
        long[] values = [530, 450, 520, 440, 430, 510, 450, 500, 440, 530];
        foreach (var mb in values)
        {
            _harness.Stats.Set(Silo("s1", workingSetMb: mb));
            Assert.Equal(alert.Id, Assert.Single(await _harness.StepAsync()).Id);
        }

        Assert.Single(_harness.Handler.Transitions);
        _harness.Stats.Set(Silo("s1", workingSetMb: 450));
        await _harness.StepAsync(3);
        Assert.Equal([AlertTransitionKind.Raised, AlertTransitionKind.Resolved], _harness.Handler.Transitions.Select(t => t.Kind));
        Assert.Single(await _harness.Monitor.GetAlertHistory(100));
    }
}
