using System.Text.Json;
using OpenClaw.Cluster.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// A tenant's cron job survives the loss of the silo that hosted the tenant when the job was added:
/// the job's durable reminder is in the cluster's table, so after that silo is killed the job still
/// fires at its due time on the survivor, runs the agent turn there and records it.
/// </summary>
public sealed class CronFailoverTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    /// <summary>Far enough for the kill to happen before the job is due, near enough to keep the test short.</summary>
    private static readonly TimeSpan DueIn = TimeSpan.FromSeconds(12);

    /// <summary>
    /// The dead silo is declared dead, the reminder's owner (if it was the dead silo) is recomputed, and a
    /// delivery that failed meanwhile is retried (backoff capped at <c>reminders:retryMaxDelay</c>, 1 min).
    /// </summary>
    private static readonly TimeSpan FireDeadline = DueIn + ClusterTestTimeouts.DeclaredDead + ClusterTestTimeouts.Recovery + TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_job_added_on_a_silo_that_is_then_killed_fires_on_the_survivor()
    {
        var tenant = new TestTenant("cron-failover");
        await using var cluster = new TestCluster(postgres, output, [tenant]);
        var silos = await cluster.StartSilosAsync(2);
        var client = await cluster.StartClientAsync();
        var grain = client.Grains.GetGrain<IUserGrain>(tenant.Id);

        var dueAt = DateTimeOffset.UtcNow + DueIn;
        var added = await InvokeAsync(grain, "cron.add", new
        {
            name = "after the failover",
            schedule = new { kind = "at", at = dueAt.ToString("O") },
            payload = new { kind = "agentTurn", message = "still here?" },
        });
        var jobId = added.GetProperty("id").GetString()!;

        var hosting = cluster.SiloAt((await Placement.OfTenantsAsync(cluster.Database, [tenant]))[tenant.Id]);
        var survivor = silos.Single(s => s != hosting);
        hosting.Kill();
        await hosting.WaitForExitAsync(ClusterTestTimeouts.KilledExit);
        Assert.True(DateTimeOffset.UtcNow < dueAt, "the kill took longer than the job's due time: the test proves nothing");

        JsonElement? run = null;
        await Eventually.TrueAsync(async () =>
        {
            // Fails while the tenant moves to the survivor: Eventually asks again until the deadline.
            var runs = await TryInvokeAsync(grain, "cron.runs", new { id = jobId });
            run = runs?.GetProperty("entries").EnumerateArray().Cast<JsonElement?>().FirstOrDefault();
            return run is { } entry && entry.GetProperty("status").GetString() is "ok" or "error";
        }, FireDeadline, $"job {jobId} due at {dueAt:O} recorded a run after {hosting.Name} was killed");

        Assert.Equal("ok", run!.Value.GetProperty("status").GetString());
        var placed = await Placement.OfTenantsAsync(cluster.Database, [tenant]);
        Assert.Equal(survivor.Address, placed[tenant.Id]);
    }

    private static async Task<JsonElement> InvokeAsync(IUserGrain grain, string method, object parameters)
    {
        var reply = await CallAsync(grain, method, parameters);
        Assert.True(reply.Ok, $"{method}: {reply.Error?.Code} {reply.Error?.Message}");
        return JsonDocument.Parse(reply.PayloadJson!).RootElement.Clone();
    }

    /// <summary>The payload, or null when the call answered an error (thrown failures are retried by <see cref="Eventually"/>).</summary>
    private static async Task<JsonElement?> TryInvokeAsync(IUserGrain grain, string method, object parameters)
    {
        var reply = await CallAsync(grain, method, parameters);
        return reply.Ok ? JsonDocument.Parse(reply.PayloadJson!).RootElement.Clone() : null;
    }

    private static Task<GatewayReply> CallAsync(IUserGrain grain, string method, object parameters) =>
        grain.Invoke(new GatewayCall
        {
            Method = method,
            ParamsJson = JsonSerializer.Serialize(parameters),
            ConnectionId = "cron-failover-test",
            Scopes = [GatewayMethodCatalog.ScopeAdmin],
        }).WaitAsync(ClusterTestTimeouts.Attempt);
}
