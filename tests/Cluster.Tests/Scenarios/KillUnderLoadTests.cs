using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// <c>kill -9</c> of a silo that hosts tenants and probe grains while a client keeps calling them:
/// the cluster declares it dead, its grains come back on the survivors with their persisted state,
/// callers only see "retry shortly" failures and only while the silo is gone, and no grain is ever
/// active twice.
/// </summary>
public sealed class KillUnderLoadTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    private const int ProbeKeys = 300;
    private const int TenantCount = 6;

    [Fact]
    public async Task A_killed_silo_is_declared_dead_and_its_tenants_and_keys_come_back_elsewhere_with_their_state()
    {
        var tenants = TestTenant.Many("kill-t", TenantCount);
        await using var cluster = new TestCluster(postgres, output, tenants);
        await cluster.StartSilosAsync(3);
        var client = await cluster.StartClientAsync();

        // Each tenant has a persisted chat turn; every probe key is active somewhere.
        foreach (var tenant in tenants)
            await TenantChat.SendAndWaitAsync(client.Grains.GetGrain<IUserGrain>(tenant.Id), $"remember {tenant.Id}");
        var keys = Enumerable.Range(0, ProbeKeys).Select(i => $"kill-{i}").ToArray();
        var probes = await Placement.OfProbesAsync(client.Grains, keys);
        var tenantSilos = await Placement.OfTenantsAsync(cluster.Database, tenants);

        // The victim: the silo with the most tenants (with 6 tenants on 3 silos, at least 2).
        var victimAddress = tenantSilos.Values.GroupBy(s => s).MaxBy(g => g.Count())!.Key;
        var victim = cluster.SiloAt(victimAddress);
        var movedTenants = tenantSilos.Where(t => t.Value == victimAddress).Select(t => t.Key).ToList();
        var movedKeys = probes.Where(p => p.Value == victimAddress).Select(p => p.Key).ToList();
        output.WriteLine($"victim {victim.Name} {victimAddress}: tenants {string.Join(", ", movedTenants)}, {movedKeys.Count} probe keys");
        Assert.NotEmpty(movedKeys);

        await using var load = new ClusterLoad([client.Grains], keys, [.. tenants.Select(t => t.Id)]);
        load.Start();
        await load.WaitForMoreSuccessesAsync(500, ClusterTestTimeouts.LoadProgress);

        var killedAt = load.Now;
        victim.Kill();
        await victim.WaitForExitAsync(ClusterTestTimeouts.KilledExit);
        var killMark = await cluster.Database.NowAsync();

        await Eventually.TrueAsync(async () => await cluster.Database.StatusOfAsync(victimAddress) == SiloStatus.Dead,
            ClusterTestTimeouts.DeclaredDead, $"{victimAddress} is Dead in the membership table");
        output.WriteLine($"declared dead {(load.Now - killedAt).TotalSeconds:0.0} s after the kill");

        await ClusterRecovery.WaitUntilEverythingAnswersAsync(client.Grains, keys, tenants, notOn: victimAddress);
        var recoveredAt = load.Now;
        output.WriteLine($"every key and tenant answered {(recoveredAt - killedAt).TotalSeconds:0.0} s after the kill");

        await load.WaitForMoreSuccessesAsync(ClusterTestTimeouts.CallsAfterRecovery, ClusterTestTimeouts.LoadProgress);
        await load.StopAsync();
        output.WriteLine($"load: {load.Succeeded} calls succeeded, {load.Failures.Count} failed: {string.Join(", ", load.Failures.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key}"))}");
        var unexpected = load.UnexpectedFailures(killedAt, recoveredAt);
        Assert.True(unexpected.Count == 0,
            $"{unexpected.Count} failures outside the outage [{killedAt.TotalSeconds:0.000}, {recoveredAt.TotalSeconds:0.000}] s or not retryable:\n{string.Join('\n', unexpected.Take(20))}");

        // The moved tenants kept their sessions; the moved keys live on survivors.
        foreach (var tenant in tenants)
        {
            var history = await TenantChat.HistoryAsync(client.Grains.GetGrain<IUserGrain>(tenant.Id));
            // Exactly the turn that ended before the kill: nothing lost, no "interrupted" marker added by the move.
            Assert.Equal([("user", $"remember {tenant.Id}"), ("assistant", $"Echo: remember {tenant.Id}")], history);
        }
        var after = await Placement.OfProbesAsync(client.Grains, movedKeys);
        Assert.All(after.Values, silo => Assert.NotEqual(victimAddress, silo));

        await AuditAssertions.AtMostOneActivationPerKeyOnLiveSilosAsync(cluster.Database);
        await AuditAssertions.NoActivationOnSiloAfterAsync(cluster.Database, victimAddress, killMark);
    }
}
