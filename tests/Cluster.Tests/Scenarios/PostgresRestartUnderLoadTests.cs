using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// PostgreSQL (membership table, directory, state) restarts under load, down for less than the
/// lease: the cluster recovers by itself, tenants keep and extend their sessions, and no grain is
/// ever active on two live silos.
/// </summary>
public sealed class PostgresRestartUnderLoadTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    private const int ProbeKeys = 300;
    private const int TenantCount = 3;

    [Fact]
    public async Task The_cluster_recovers_by_itself_from_a_short_postgres_restart()
    {
        var tenants = TestTenant.Many("pg-t", TenantCount);
        await using var cluster = new TestCluster(postgres, output, tenants);
        var silos = await cluster.StartSilosAsync(3);
        var client = await cluster.StartClientAsync();
        foreach (var tenant in tenants)
            await TenantChat.SendAndWaitAsync(client.Grains.GetGrain<IUserGrain>(tenant.Id), $"before {tenant.Id}");
        var keys = Enumerable.Range(0, ProbeKeys).Select(i => $"pg-{i}").ToArray();
        await Placement.OfProbesAsync(client.Grains, keys);

        await using var load = new ClusterLoad([client.Grains], keys, [.. tenants.Select(t => t.Id)]);
        load.Start();
        await load.WaitForMoreSuccessesAsync(500, ClusterTestTimeouts.LoadProgress);

        var stoppedAt = load.Now;
        await postgres.StopAsync("fast");
        await Task.Delay(ClusterTestTimeouts.PostgresOutage);
        await postgres.StartAsync();
        output.WriteLine($"PostgreSQL was down from {stoppedAt.TotalSeconds:0.0} s to {load.Now.TotalSeconds:0.0} s");

        await Eventually.TrueAsync(async () =>
        {
            foreach (var silo in silos)
                if (silo.HasExited || !await silo.IsServingAsync()) return false;
            return true;
        }, ClusterTestTimeouts.Recovery, "all three silos serve again");
        await ClusterRecovery.WaitUntilEverythingAnswersAsync(client.Grains, keys, tenants);
        var recoveredAt = load.Now;
        output.WriteLine($"every silo serves and every key and tenant answers {(recoveredAt - stoppedAt).TotalSeconds:0.0} s after the stop");

        // Writes work again: each tenant takes another turn, after the one from before the restart. (The
        // first state write on a pooled connection the restart closed fails, 57P01; the grain answers
        // chat.send with a retryable UNAVAILABLE and a client retries with the same idempotency key.)
        var turnErrors = new List<string>();
        foreach (var tenant in tenants)
        {
            var grain = client.Grains.GetGrain<IUserGrain>(tenant.Id);
            try
            {
                var retries = await TenantChat.SendAndWaitAsync(grain, $"after {tenant.Id}");
                output.WriteLine($"{tenant.Id}: chat.send after the restart answered 'retry' {retries} times");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                turnErrors.Add($"{tenant.Id}: {ex.Message}");
            }
            IReadOnlyList<(string Role, string Text)> expected =
                [("user", $"before {tenant.Id}"), ("assistant", $"Echo: before {tenant.Id}"), ("user", $"after {tenant.Id}"), ("assistant", $"Echo: after {tenant.Id}")];
            await Eventually.TrueAsync(async () => (await TenantChat.HistoryAsync(grain)).SequenceEqual(expected),
                ClusterTestTimeouts.ChatTurn, $"{tenant.Id}'s history has the turns from before and after the restart");
        }

        await load.WaitForMoreSuccessesAsync(ClusterTestTimeouts.CallsAfterRecovery, ClusterTestTimeouts.LoadProgress);
        await load.StopAsync();
        output.WriteLine($"load: {load.Succeeded} calls succeeded, {load.Failures.Count} failed: {string.Join(", ", load.Failures.GroupBy(f => f.Kind).Select(g => $"{g.Count()} {g.Key}"))}");
        foreach (var failure in load.Failures.Take(10)) output.WriteLine(failure.ToString());
        // A silo whose heartbeats failed during the outage may still see its lease lapse once just
        // after the cluster answered again (its last renewal was before the stop): such refusals are
        // retryable and end within one lease duration of the recovery.
        var outageEnd = recoveredAt + ClusterTestTimeouts.LeaseDuration;
        var unexpected = load.UnexpectedFailures(stoppedAt, outageEnd);
        Assert.True(unexpected.Count == 0,
            $"{unexpected.Count} failures outside the outage [{stoppedAt.TotalSeconds:0.000}, {outageEnd.TotalSeconds:0.000}] s or not retryable:\n{string.Join('\n', unexpected.Take(20))}");

        Assert.All(silos, silo => Assert.False(silo.HasExited, $"{silo.Name} exited"));
        await AuditAssertions.AtMostOneActivationPerKeyOnLiveSilosAsync(cluster.Database);

        // A chat.send whose prompt could not be stored (the first write after the restart fails on a
        // pooled connection the restart closed) is retried with the same idempotency key; agent.wait
        // must follow that retried run, not the refused attempt's outcome.
        Assert.True(turnErrors.Count == 0, $"chat turns after the restart were reported as failed:\n{string.Join('\n', turnErrors)}");
    }
}
