using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Operations.Dashboard;

namespace OpenClaw.Dashboard.Tests;

/// <summary>The sampler's rates from totals, its bounded ring, and its answer without a stats source.</summary>
public sealed class DashboardSamplerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Rates_come_from_the_difference_of_totals_per_silo_and_a_restart_is_not_negative()
    {
        var reader = new ScriptedReader(
            Snapshot(0, ("a", 1_000), ("b", 500)),
            Snapshot(2, ("a", 1_400), ("b", 700)),   // a: 200/s, b: 100/s
            Snapshot(4, ("a", 1_600), ("b", 40)));   // b restarted: counts from zero, 20/s
        var sampler = Sampler(reader, capacity: 10);

        await sampler.SampleOnceAsync(CancellationToken.None);
        await sampler.SampleOnceAsync(CancellationToken.None);
        var (stats, _, siloRates, _, series) = sampler.Read();
        Assert.True(stats.Available);
        Assert.Equal(200, siloRates["a"], 6);
        Assert.Equal(100, siloRates["b"], 6);
        Assert.Equal(300, Assert.Single(series).CallsPerSecond, 6);

        await sampler.SampleOnceAsync(CancellationToken.None);
        (_, _, siloRates, _, series) = sampler.Read();
        Assert.Equal(20, siloRates["b"], 6);
        Assert.Equal(120, series[^1].CallsPerSecond, 6);
        Assert.All(series, s => Assert.True(s.CallsPerSecond >= 0));
    }

    [Fact]
    public async Task The_ring_keeps_only_the_configured_number_of_samples()
    {
        var reader = new ScriptedReader(Enumerable.Range(0, 20).Select(i => Snapshot(i, ("a", i * 10L))).ToArray());
        var sampler = Sampler(reader, capacity: 5);
        for (var i = 0; i < 20; i++) await sampler.SampleOnceAsync(CancellationToken.None);
        var series = sampler.Read().Series;
        Assert.Equal(5, series.Count);
        Assert.Equal(Start.AddSeconds(19), series[^1].At);
    }

    [Fact]
    public async Task Without_a_stats_source_the_overview_says_not_available()
    {
        var sampler = Sampler(reader: null, capacity: 5);
        await sampler.SampleOnceAsync(CancellationToken.None);
        var overview = DashboardEndpoints.Overview(sampler);
        Assert.False(overview.Stats.Available);
        Assert.Contains("no cluster stats reader", overview.Stats.Reason, StringComparison.Ordinal);
        Assert.Empty(overview.Silos);
    }

    [Fact]
    public async Task A_failing_stats_source_is_reported_and_the_last_figures_stay()
    {
        var reader = new ScriptedReader(Snapshot(0, ("a", 1)), Snapshot(1, ("a", 2))) { FailAfterScript = true };
        var sampler = Sampler(reader, capacity: 5);
        await sampler.SampleOnceAsync(CancellationToken.None);
        await sampler.SampleOnceAsync(CancellationToken.None);
        await sampler.SampleOnceAsync(CancellationToken.None);
        var (stats, latest, _, _, _) = sampler.Read();
        Assert.False(stats.Available);
        Assert.Contains("stats source down", stats.Reason, StringComparison.Ordinal);
        Assert.NotNull(latest);
    }

    private static DashboardSampler Sampler(IClusterStatsReader? reader, int capacity)
    {
        var services = new ServiceCollection();
        if (reader is not null) services.AddSingleton(reader);
        var options = Options.Create(new DashboardOptions { SampleCapacity = capacity });
        return new DashboardSampler(services.BuildServiceProvider(), new DashboardCallCounter(TimeProvider.System, options), options,
            TimeProvider.System, NullLogger<DashboardSampler>.Instance);
    }

    private static ClusterStatsSnapshot Snapshot(int seconds, params (string Silo, long Calls)[] silos) => new()
    {
        At = Start.AddSeconds(seconds),
        Silos = silos.Select(s => new SiloStats { Silo = s.Silo, CallsTotal = s.Calls, At = Start.AddSeconds(seconds) }).ToList(),
    };

    private sealed class ScriptedReader(params ClusterStatsSnapshot[] script) : IClusterStatsReader
    {
        private int _next;

        public bool FailAfterScript { get; init; }

        public Task<ClusterStatsSnapshot> ReadAsync(CancellationToken cancellationToken)
        {
            if (_next >= script.Length && FailAfterScript) throw new InvalidOperationException("stats source down");
            return Task.FromResult(script[Math.Min(_next++, script.Length - 1)]);
        }
    }
}
