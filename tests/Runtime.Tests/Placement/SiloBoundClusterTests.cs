using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenClaw.Runtime.Client;
using OpenClaw.Runtime.Tests.Cluster;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Placement;

/// <summary>Silo-bound grains across in-process silos with real sockets: each call runs on the silo its key names.</summary>
public sealed class SiloBoundClusterTests : IAsyncLifetime
{
    private readonly InProcessCluster _cluster = new();
    private IHost[] _silos = [];

    public async Task InitializeAsync()
    {
        _silos = [await _cluster.StartSiloAsync(), await _cluster.StartSiloAsync(), await _cluster.StartSiloAsync()];
        await _cluster.WaitAllActiveAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static string Where(string answer) => answer.Split('|')[0];

    [Fact]
    public async Task Every_silo_reaches_every_silo_by_address_and_the_call_runs_there()
    {
        var addresses = _silos.Select(InProcessCluster.AddressOf).ToArray();
        foreach (var caller in _silos)
            foreach (var address in addresses)
            {
                var answer = await InProcessCluster.FactoryOf(caller).GetSiloGrain<ISiloProbeGrain>(address).WhereAmI();
                Assert.Equal(address.ToString(), Where(answer));
            }

        // One activation per silo, the same one whoever calls; none of them in the grain directory.
        foreach (var address in addresses)
        {
            var answers = await Task.WhenAll(_silos.Select(s => InProcessCluster.FactoryOf(s).GetSiloGrain<ISiloProbeGrain>(address).WhereAmI()));
            Assert.Single(answers.Distinct());
            Assert.Null(await _cluster.Directory.LookupAsync(new GrainId("siloprobe", address.ToString()), CancellationToken.None));
        }
        for (var i = 0; i < _silos.Length; i++)
            Assert.Contains(InProcessCluster.RuntimeOf(_silos[i]).GetActivations(), id => id.Type == "siloprobe" && id.Key == addresses[i].ToString());
    }

    [Fact]
    public async Task Local_means_the_calling_silo()
    {
        foreach (var silo in _silos)
        {
            var answer = await InProcessCluster.FactoryOf(silo).GetGrain<ISiloProbeGrain>(SiloBoundKeys.Local).WhereAmI();
            Assert.Equal(InProcessCluster.AddressOf(silo).ToString(), Where(answer));
        }
    }

    [Fact]
    public async Task A_cluster_client_reaches_each_silo_by_address()
    {
        var client = await _cluster.StartClientAsync();
        var factory = client.Services.GetRequiredService<ClusterClient>().GrainFactory;
        foreach (var address in _silos.Select(InProcessCluster.AddressOf))
            Assert.Equal(address.ToString(), Where(await factory.GetSiloGrain<ISiloProbeGrain>(address).WhereAmI()));
    }

    [Fact]
    public async Task A_silo_that_is_not_a_member_is_refused_and_nothing_is_activated_elsewhere()
    {
        var real = InProcessCluster.AddressOf(_silos[1]);
        var stranger = real with { Generation = real.Generation + 12345 };
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            InProcessCluster.FactoryOf(_silos[0]).GetSiloGrain<ISiloProbeGrain>(stranger).WhereAmI());
        Assert.Contains("not a member", error.Message);
        Assert.All(_silos, s => Assert.DoesNotContain(InProcessCluster.RuntimeOf(s).GetActivations(), id => id.Key == stranger.ToString()));
    }

    [Fact]
    public async Task A_dead_silo_is_refused_instead_of_being_replaced()
    {
        var victim = _silos[2];
        var address = InProcessCluster.AddressOf(victim);
        await _cluster.StopSiloAsync(victim);
        await InProcessClusterTests.WaitUntil(() =>
            _silos[0].Services.GetRequiredService<ClusterMembershipView>().Current.StatusOf(address) == SiloStatus.Dead);

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            InProcessCluster.FactoryOf(_silos[0]).GetSiloGrain<ISiloProbeGrain>(address).WhereAmI());
        Assert.Contains("Dead", error.Message);
        Assert.DoesNotContain(InProcessCluster.RuntimeOf(_silos[0]).GetActivations(), id => id.Key == address.ToString());
        Assert.DoesNotContain(InProcessCluster.RuntimeOf(_silos[1]).GetActivations(), id => id.Key == address.ToString());
    }

    [Theory]
    [InlineData("tenant-1")]
    [InlineData("host@")]
    [InlineData("127.0.0.1:99999@5")]
    public async Task A_key_that_is_not_a_silo_address_is_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => InProcessCluster.FactoryOf(_silos[0]).GetGrain<ISiloProbeGrain>(key).WhereAmI());
        Assert.DoesNotContain(InProcessCluster.RuntimeOf(_silos[0]).GetActivations(), id => id.Key == key);
    }
}
