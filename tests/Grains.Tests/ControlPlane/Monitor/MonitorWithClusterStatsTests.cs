using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Operations.Stats;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>The monitor reading the real cluster statistics (the silo's own figures through its control grain).</summary>
public sealed class MonitorWithClusterStatsTests
{
    [Fact]
    public async Task Real_silo_figures_raise_memory_and_active_ratio_alerts_on_the_local_silo()
    {
        await using var silo = await TestSilo.StartAsync(typeof(MonitorGrain).Assembly, o => o.MaxActivations = 10, services =>
        {
            services.AddClusterStats(new ConfigurationBuilder().Build());
            services.AddClusterMonitor(configure: o =>
            {
                // Any test process uses more than 1 MB; 8 probes of a cap of 10 are over 50 %.
                o.Rules.Memory.ThresholdMb = 1;
                o.Rules.Memory.RaiseAfter = 1;
                o.Rules.ActiveRatio.ThresholdPercent = 50;
                o.Rules.ActiveRatio.RaiseAfter = 1;
                o.Rules.ConfigSync.Enabled = false;
            });
            foreach (var keeper in services.Where(d => d.ImplementationType == typeof(MonitorKeeper)).ToList()) services.Remove(keeper);
        });
        for (var i = 0; i < 8; i++) Assert.Equal(i, await silo.GrainFactory.GetGrain<IClusterProbeGrain>($"probe-{i}").Echo(i));

        var alerts = await silo.GrainFactory.GetGrain<IMonitorGrain>(IMonitorGrain.ClusterKey).EvaluateNow();

        var memory = Assert.Single(alerts, a => a.Rule == "memory");
        Assert.Equal("local", memory.Subject);
        Assert.True(memory.Value > 1);
        var ratio = Assert.Single(alerts, a => a.Rule == "active-ratio");
        Assert.Equal("local", ratio.Subject);
        Assert.InRange(ratio.Value, 80, 100);
        Assert.DoesNotContain(alerts, a => a.Rule == "silo-unreachable");
    }
}
