using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// SIGTERM of a silo under load is the graceful drain: it hands its grains over (persisting the
/// tenants' state) and exits 0, and no caller sees a failed call.
/// </summary>
public sealed class GracefulStopUnderLoadTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    private const int ProbeKeys = 300;
    private const int TenantCount = 4;

    [Fact]
    public async Task A_terminated_silo_drains_without_a_failed_call_and_its_grains_live_on_elsewhere()
    {
        var tenants = TestTenant.Many("drain-t", TenantCount);
        await using var cluster = new TestCluster(postgres, output, tenants);
        await cluster.StartSilosAsync(3);
        var client = await cluster.StartClientAsync();

        foreach (var tenant in tenants)
            await TenantChat.SendAndWaitAsync(client.Grains.GetGrain<IUserGrain>(tenant.Id), $"keep {tenant.Id}");
        var keys = Enumerable.Range(0, ProbeKeys).Select(i => $"drain-{i}").ToArray();
        var probes = await Placement.OfProbesAsync(client.Grains, keys);
        var tenantSilos = await Placement.OfTenantsAsync(cluster.Database, tenants);

        // The victim: the silo with the most tenants (4 tenants on 3 silos: at least 2).
        var victimAddress = tenantSilos.Values.GroupBy(s => s).MaxBy(g => g.Count())!.Key;
        var victim = cluster.SiloAt(victimAddress);
        var movedKeys = probes.Where(p => p.Value == victimAddress).Select(p => p.Key).ToList();
        output.WriteLine($"victim {victim.Name} {victimAddress}: tenants {string.Join(", ", tenantSilos.Where(t => t.Value == victimAddress).Select(t => t.Key))}, {movedKeys.Count} probe keys");
        Assert.NotEmpty(movedKeys);

        await using var load = new ClusterLoad([client.Grains], keys, [.. tenants.Select(t => t.Id)]);
        load.Start();
        await load.WaitForMoreSuccessesAsync(500, ClusterTestTimeouts.LoadProgress);

        var terminatedAt = load.Now;
        victim.Terminate();
        var exitCode = await victim.WaitForExitAsync(ClusterTestTimeouts.GracefulExit);
        output.WriteLine($"the silo drained and exited {(load.Now - terminatedAt).TotalSeconds:0.0} s after SIGTERM");

        await load.WaitForMoreSuccessesAsync(ClusterTestTimeouts.CallsAfterRecovery, ClusterTestTimeouts.LoadProgress);
        await load.StopAsync();
        output.WriteLine($"load: {load.Succeeded} calls succeeded, {load.Failures.Count} failed");

        var after = await Placement.OfProbesAsync(client.Grains, keys);
        Assert.All(after.Values, silo => Assert.NotEqual(victimAddress, silo));
        foreach (var tenant in tenants)
        {
            var history = await TenantChat.HistoryAsync(client.Grains.GetGrain<IUserGrain>(tenant.Id));
            Assert.Equal([("user", $"keep {tenant.Id}"), ("assistant", $"Echo: keep {tenant.Id}")], history);
        }
        var moved = await Placement.OfTenantsAsync(cluster.Database, tenants);
        Assert.All(moved.Values, silo => Assert.NotEqual(victimAddress, silo));
        await AuditAssertions.AtMostOneActivationPerKeyOnLiveSilosAsync(cluster.Database);

        // The leaving silo writes Dead itself and must not take that for a verdict (exit 71), and the
        // calls in flight through it are answered before its connections close.
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} calls failed during the drain:\n{string.Join('\n', load.Failures.Take(20))}");
        Assert.Equal(0, exitCode);
    }
}
