using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// Silo-bound grains across real processes: a cluster client (as the edge) asks each silo's
/// <see cref="ISiloControlGrain"/> for its figures, and each answer comes from that silo itself.
/// </summary>
public sealed class SiloBoundTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    [Fact]
    public async Task A_client_reaches_each_silo_by_address_and_each_answers_with_its_own_address()
    {
        await using var cluster = new TestCluster(postgres, output);
        var silos = await cluster.StartSilosAsync(3);
        var client = await cluster.StartClientAsync(preferredGateway: silos[0].Endpoint);

        foreach (var silo in silos)
        {
            var stats = await client.Grains.GetGrain<ISiloControlGrain>(silo.Address).GetStats();
            Assert.Equal(silo.Address, stats.Silo);
            Assert.Equal("Active", stats.Status);
            Assert.True(stats.WorkingSetBytes > 0);
            Assert.True(stats.ActivationsByType.ContainsKey("silocontrol"), "the control grain itself is active on that silo");
        }
        // The processes differ: each reports its own start and its own working set.
        var reported = await Task.WhenAll(silos.Select(s => client.Grains.GetGrain<ISiloControlGrain>(s.Address).GetStats()));
        Assert.Equal(3, reported.Select(r => r.StartedAt).Distinct().Count());

        // A silo that left the cluster is refused, not replaced elsewhere.
        var leaving = silos[2];
        leaving.Terminate();
        await leaving.WaitForExitAsync(ClusterTestTimeouts.SiloServing);
        var address = SiloAddress.Parse(leaving.Address);
        await Eventually.TrueAsync(() => client.Client.Membership.StatusOf(address) == SiloStatus.Dead,
            ClusterTestTimeouts.SiloServing, "the stopped silo is Dead in the client's view");
        var refused = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.Grains.GetGrain<ISiloControlGrain>(leaving.Address).GetStats());
        // The client sent it to its gateway silo, which refused rather than activating it on itself.
        Assert.Contains("Dead", refused.Message);
    }
}
