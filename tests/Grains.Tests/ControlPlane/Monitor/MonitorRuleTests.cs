using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.Interfaces;
using static OpenClaw.Grains.Tests.ControlPlane.Monitor.FakeClusterStatsReader;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>Each rule raises and resolves through the real grain, driven by a manual clock and fake figures.</summary>
public sealed class MonitorRuleTests : IAsyncLifetime
{
    private MonitorHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MonitorHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Memory_over_512_MB_raises_after_two_evaluations_and_resolves_only_well_below_it()
    {
        _harness.Stats.Set(Silo("s1", workingSetMb: 600), Silo("s2", workingSetMb: 100));
        Assert.Empty(await _harness.StepAsync());

        var alert = Assert.Single(await _harness.StepAsync());
        Assert.Equal(("memory", "s1", AlertSeverity.Warning), (alert.Rule, alert.Subject, alert.Severity));
        Assert.Equal(600, alert.Value);
        Assert.Equal(MemoryRuleOptions.DefaultThresholdMb, alert.Threshold);
        Assert.Contains("600 MB", alert.Message, StringComparison.Ordinal);
        Assert.Null(alert.ResolvedAt);

        // Below 512 but not below 512 - 10 %: stays raised however long it lasts.
        _harness.Stats.Set(Silo("s1", workingSetMb: 500), Silo("s2", workingSetMb: 100));
        Assert.Equal(alert.Id, Assert.Single(await _harness.StepAsync(5)).Id);

        _harness.Stats.Set(Silo("s1", workingSetMb: 400), Silo("s2", workingSetMb: 100));
        Assert.Single(await _harness.StepAsync(2));
        Assert.Empty(await _harness.StepAsync());

        var resolved = Assert.Single(await _harness.Monitor.GetAlertHistory(10));
        Assert.Equal(alert.Id, resolved.Id);
        Assert.Equal(_harness.Silo.Time.GetUtcNow(), resolved.ResolvedAt);
        Assert.Equal(
            [(AlertTransitionKind.Raised, alert.Id), (AlertTransitionKind.Resolved, alert.Id)],
            _harness.Handler.Transitions.Select(t => (t.Kind, t.Alert.Id)));
        Assert.Equal(400, _harness.Handler.Transitions[1].CurrentValue);
    }

    [Fact]
    public async Task Active_tenant_ratio_over_80_percent_of_the_cache_raises_per_silo_and_resolves()
    {
        _harness.Stats.Set(Silo("s1", activations: 850, maxActivations: 1000), Silo("s2", activations: 790, maxActivations: 1000));
        var alert = Assert.Single(await _harness.StepAsync(2));
        Assert.Equal(("active-ratio", "s1", 85.0), (alert.Rule, alert.Subject, alert.Value));
        Assert.Contains("850 of 1000", alert.Message, StringComparison.Ordinal);

        _harness.Stats.Set(Silo("s1", activations: 700, maxActivations: 1000), Silo("s2", activations: 790, maxActivations: 1000));
        Assert.Empty(await _harness.StepAsync(3));
    }

    [Fact]
    public async Task Three_consecutive_config_sync_failures_raise_at_once_and_the_first_success_resolves()
    {
        _harness.Sync.Failures(2, "backend answered 503");
        Assert.Empty(await _harness.StepAsync(3));

        _harness.Sync.Failures(3, "backend answered 503");
        var alert = Assert.Single(await _harness.StepAsync());
        Assert.Equal(("config-sync", "cluster", AlertSeverity.Critical, 3.0), (alert.Rule, alert.Subject, alert.Severity, alert.Value));
        Assert.Contains("backend answered 503", alert.Message, StringComparison.Ordinal);

        // More failures: the same alert, not a new one.
        _harness.Sync.Failures(7, "backend answered 503");
        Assert.Equal(alert.Id, Assert.Single(await _harness.StepAsync(2)).Id);

        _harness.Sync.Failures(0);
        Assert.Empty(await _harness.StepAsync());
    }

    [Fact]
    public async Task A_standalone_cluster_has_no_sync_alert_and_an_unreadable_status_changes_nothing()
    {
        _harness.Sync.Status = new ConfigSyncStatus { Enabled = false, ConsecutiveFailures = 9 };
        Assert.Empty(await _harness.StepAsync(2));

        _harness.Sync.Failures(3);
        Assert.Single(await _harness.StepAsync());
        _harness.Sync.Fail = true;
        Assert.Single(await _harness.StepAsync(3));
        Assert.Single(_harness.Handler.Transitions);
    }

    [Fact]
    public async Task Grain_call_error_rate_over_the_last_interval_raises_with_enough_calls_and_resolves()
    {
        long calls = 0, failures = 0;
        async Task<IReadOnlyList<AlertRecord>> Interval(long newCalls, long newFailures)
        {
            calls += newCalls;
            failures += newFailures;
            _harness.Stats.Set(Silo("s1", calls: calls, failures: failures));
            return await _harness.StepAsync();
        }

        Assert.Empty(await Interval(0, 0));
        // Every call failed, but 50 calls are below the minimum of 100: not a rate.
        Assert.Empty(await Interval(50, 50));
        Assert.Empty(await Interval(50, 50));

        Assert.Empty(await Interval(1000, 100));
        var alert = Assert.Single(await Interval(1000, 100));
        Assert.Equal(("error-rate", "s1", 10.0), (alert.Rule, alert.Subject, alert.Value));
        Assert.Equal(AlertSeverity.Critical, alert.Severity);

        Assert.Single(await Interval(1000, 10));
        Assert.Single(await Interval(1000, 10));
        Assert.Empty(await Interval(1000, 10));
    }

    [Fact]
    public async Task An_extra_evaluation_between_two_ticks_sees_the_whole_last_interval()
    {
        _harness.Stats.Set(Silo("s1", calls: 0));
        await _harness.StepAsync();
        _harness.Stats.Set(Silo("s1", calls: 1000, failures: 100));
        await _harness.StepAsync();

        // A second later the window is still the last full interval (10 % failed), not one second.
        _harness.Silo.Time.Advance(TimeSpan.FromSeconds(1));
        var alert = Assert.Single(await _harness.Monitor.EvaluateNow());
        Assert.Equal(10.0, alert.Value);
    }

    [Fact]
    public async Task Provider_failures_of_the_whole_cluster_over_the_interval_raise_and_resolve()
    {
        _harness.Stats.Set(Silo("s1", providerErrors: 0), Silo("s2", providerErrors: 0));
        Assert.Empty(await _harness.StepAsync());

        _harness.Stats.Set(Silo("s1", providerErrors: 6), Silo("s2", providerErrors: 6));
        var alert = Assert.Single(await _harness.StepAsync());
        Assert.Equal(("provider-failures", "cluster", 12.0), (alert.Rule, alert.Subject, alert.Value));

        Assert.Single(await _harness.StepAsync(2));
        Assert.Empty(await _harness.StepAsync());
    }

    [Fact]
    public async Task A_silo_that_restarted_within_the_interval_counts_everything_since_its_start()
    {
        _harness.Stats.Set(Silo("s1", calls: 5000, providerErrors: 50));
        await _harness.StepAsync();

        // Its counters went down: the 20 errors of the new process are this interval's, not -30.
        _harness.Stats.Set(Silo("s1", calls: 10, providerErrors: 20) with { StartedAt = _harness.Silo.Time.GetUtcNow() });
        var alert = Assert.Single(await _harness.StepAsync());
        Assert.Equal(("provider-failures", 20.0), (alert.Rule, alert.Value));
    }

    [Fact]
    public async Task An_unreachable_silo_raises_and_resolves_when_it_answers_again()
    {
        _harness.Stats.Set([Silo("s1")], unreachable: ["s2"]);
        Assert.Empty(await _harness.StepAsync());
        var alert = Assert.Single(await _harness.StepAsync());
        Assert.Equal(("silo-unreachable", "s2", AlertSeverity.Critical), (alert.Rule, alert.Subject, alert.Severity));

        _harness.Stats.Set(Silo("s1"), Silo("s2"));
        Assert.Empty(await _harness.StepAsync());
    }

    [Fact]
    public async Task An_unreachable_silo_keeps_its_memory_alert_and_a_silo_that_left_resolves_it()
    {
        _harness.Stats.Set(Silo("s1"), Silo("s2", workingSetMb: 900));
        var memory = Assert.Single(await _harness.StepAsync(2));

        // Not answering: its memory is unknown, the alert stays (and the silo gets its own).
        _harness.Stats.Set([Silo("s1")], unreachable: ["s2"]);
        var active = await _harness.StepAsync(4);
        Assert.Contains(active, a => a.Id == memory.Id);
        Assert.Contains(active, a => a.Rule == "silo-unreachable");

        // Declared dead and gone from the view: nothing left to alert about.
        _harness.Stats.Set(Silo("s1"));
        Assert.Empty(await _harness.StepAsync(3));
    }

    [Fact]
    public async Task A_failing_stats_reader_neither_raises_nor_resolves()
    {
        _harness.Stats.Set(Silo("s1", workingSetMb: 600));
        Assert.Single(await _harness.StepAsync(2));
        _harness.Stats.Fail = true;
        Assert.Single(await _harness.StepAsync(5));
        Assert.Contains(_harness.Logs.Entries, e => e.EventId == 3401);
    }

    [Fact]
    public async Task Raised_and_resolved_alerts_are_logged_with_their_own_event_ids()
    {
        _harness.Stats.Set(Silo("s1", workingSetMb: 600));
        await _harness.StepAsync(2);
        _harness.Stats.Set(Silo("s1", workingSetMb: 100));
        await _harness.StepAsync(3);

        var raised = Assert.Single(_harness.Logs.Entries, e => e.EventId == 3410);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, raised.Level);
        Assert.Contains("memory on s1", raised.Message, StringComparison.Ordinal);
        Assert.Single(_harness.Logs.Entries, e => e.EventId == 3411);
    }
}
