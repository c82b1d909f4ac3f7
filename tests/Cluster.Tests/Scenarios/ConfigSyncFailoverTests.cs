using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tests.ControlPlane;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// The cluster's one ConfigSyncGrain survives the silo that hosts it: after that silo is killed, the
/// keeper on a surviving silo reactivates it there, it keeps pulling from the backend, and it goes on
/// from the state it stored (its cursor, or its failure count while passes fail).
/// </summary>
public sealed class ConfigSyncFailoverTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    [Fact]
    public async Task Killing_the_silo_that_hosts_the_sync_moves_it_and_the_sync_continues_from_its_stored_state()
    {
        await using var backend = await FakeCloudBackend.StartAsync();
        for (var i = 0; i < 3; i++) backend.Put(new BackendUserSpec { UserId = $"synced-{i}" });
        await using var cluster = new TestCluster(postgres, output)
        {
            ExtraSiloArguments =
            [
                "--multiTenant:cloudBackendUrl", backend.Url,
                "--multiTenant:serviceToken", FakeCloudBackend.ServiceToken,
                "--multiTenant:syncIntervalMs", "500",
                "--multiTenant:configSync:maxBackoffMs", "1000",
            ],
        };
        var silos = await cluster.StartSilosAsync(2);
        var client = await cluster.StartClientAsync();
        var sync = client.Grains.GetGrain<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey);

        ConfigSyncStatus before = null!;
        await Eventually.TrueAsync(async () =>
        {
            before = await sync.GetStatus();
            return before.LastAttemptAt is not null && silos.Any(s => s.Address == before.Silo);
        }, ClusterTestTimeouts.Recovery, "a first sync pass on one of the silos");
        var hosting = cluster.SiloAt(before.Silo!);
        var survivor = silos.Single(s => s != hosting);

        hosting.Kill();
        await hosting.WaitForExitAsync(ClusterTestTimeouts.KilledExit);
        var requestsAtKill = backend.Requests.Count;

        ConfigSyncStatus? after = null;
        var until = DateTime.UtcNow + ClusterTestTimeouts.DeclaredDead + ClusterTestTimeouts.Recovery;
        string? lastError = null;
        while (!(after is not null && after.Silo == survivor.Address && after.LastAttemptAt > before.LastAttemptAt))
        {
            Assert.True(DateTime.UtcNow < until,
                $"the sync did not run again on {survivor.Address}: last status {after}, requests {requestsAtKill} at the kill, {backend.Requests.Count} now, last call error {lastError}");
            await Task.Delay(ClusterTestTimeouts.Poll);
            try
            {
                after = await sync.GetStatus();
            }
            catch (Exception exception)
            {
                lastError = $"{exception.GetType().Name}: {exception.Message}";
            }
        }

        if (before.Cursor is not null)
        {
            // Passes succeed: the new activation continued from the stored cursor instead of starting over.
            await Eventually.TrueAsync(() => backend.Requests.Count > requestsAtKill, ClusterTestTimeouts.Recovery, "a request to the backend after the move");
            var afterKill = backend.Requests.Skip(requestsAtKill).Where(r => r.UserId is null).ToList();
            Assert.All(afterKill, r => Assert.NotNull(r.Cursor));
        }
        else
        {
            // Passes fail (no registry in this build): the new activation counted on from the stored failures.
            Assert.True(after.ConsecutiveFailures > before.ConsecutiveFailures,
                $"failures before the move {before.ConsecutiveFailures}, after {after.ConsecutiveFailures}: {after.LastError}");
        }
    }
}
