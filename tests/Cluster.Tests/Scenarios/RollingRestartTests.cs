using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// A rolling restart under load, as a deployment does it: one silo at a time is stopped with
/// SIGTERM, and a new one is started and serving before the next goes. No call may fail.
/// </summary>
public sealed class RollingRestartTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    private const int ProbeKeys = 300;
    private const int TenantCount = 3;

    [Fact]
    public async Task Restarting_every_silo_one_at_a_time_fails_no_call()
    {
        var tenants = TestTenant.Many("roll-t", TenantCount);
        await using var cluster = new TestCluster(postgres, output, tenants);
        var original = await cluster.StartSilosAsync(3);
        var client = await cluster.StartClientAsync();
        foreach (var tenant in tenants)
            await TenantChat.SendAndWaitAsync(client.Grains.GetGrain<IUserGrain>(tenant.Id), $"rolling {tenant.Id}");
        var keys = Enumerable.Range(0, ProbeKeys).Select(i => $"roll-{i}").ToArray();
        await Placement.OfProbesAsync(client.Grains, keys);

        await using var load = new ClusterLoad([client.Grains], keys, [.. tenants.Select(t => t.Id)]);
        load.Start();
        await load.WaitForMoreSuccessesAsync(500, ClusterTestTimeouts.LoadProgress);

        var exitCodes = new List<int>();
        foreach (var silo in original)
        {
            silo.Terminate();
            exitCodes.Add(await silo.WaitForExitAsync(ClusterTestTimeouts.GracefulExit));
            var replacement = await cluster.StartSiloAsync();
            output.WriteLine($"{load.Now.TotalSeconds:0.0} s: {silo.Name} replaced by {replacement.Name} ({replacement.Address}); {load.Failures.Count} failed calls so far");
            await load.WaitForMoreSuccessesAsync(500, ClusterTestTimeouts.LoadProgress);
        }

        await load.WaitForMoreSuccessesAsync(ClusterTestTimeouts.CallsAfterRecovery, ClusterTestTimeouts.LoadProgress);
        await load.StopAsync();
        output.WriteLine($"load: {load.Succeeded} calls succeeded, {load.Failures.Count} failed");

        // Every grain lives on the new generation now, and the tenants kept their sessions.
        var replacements = cluster.Silos.Except(original).Select(s => s.Address).ToHashSet();
        var placement = await Placement.OfProbesAsync(client.Grains, keys);
        Assert.All(placement.Values, silo => Assert.Contains(silo, replacements));
        foreach (var tenant in tenants)
        {
            Assert.Equal([("user", $"rolling {tenant.Id}"), ("assistant", $"Echo: rolling {tenant.Id}")],
                await TenantChat.HistoryAsync(client.Grains.GetGrain<IUserGrain>(tenant.Id)));
        }
        await AuditAssertions.AtMostOneActivationPerKeyOnLiveSilosAsync(cluster.Database);

        // Peers stop caching locations on a ShuttingDown silo, and a leaving silo answers the calls in
        // flight on its connections before closing them: no call fails.
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed during the rolling restart:\n{string.Join('\n', load.Failures.Take(20))}");
        Assert.All(exitCodes, code => Assert.Equal(0, code));
    }
}
