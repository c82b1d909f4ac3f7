using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Cluster;

/// <summary>The lease that fences a silo that may have been declared dead.</summary>
public sealed class SiloLeaseTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_lease_is_invalid_until_the_first_heartbeat_and_counts_from_when_that_heartbeat_started()
    {
        var time = new ManualTimeProvider();
        var lease = new MembershipLease(time, Duration);
        Assert.False(lease.IsValid);

        var started = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(2)); // the heartbeat took 2 s to answer
        lease.Renew(started);
        Assert.True(lease.IsValid);
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.True(lease.IsValid);
        time.Advance(TimeSpan.FromSeconds(0.2)); // 5.1 s after the heartbeat started
        Assert.False(lease.IsValid);
    }

    [Fact]
    public void An_older_heartbeat_that_answers_late_never_moves_the_lease_back()
    {
        var time = new ManualTimeProvider();
        var lease = new MembershipLease(time, Duration);
        var older = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(1));
        var newer = time.GetTimestamp();
        lease.Renew(newer);
        lease.Renew(older);
        time.Advance(TimeSpan.FromSeconds(4.5)); // 5.5 s after the older, 4.5 s after the newer
        Assert.True(lease.IsValid);
    }

    [Fact]
    public void A_revoked_lease_stays_invalid_whatever_renews_it()
    {
        var time = new ManualTimeProvider();
        var lease = new MembershipLease(time, Duration);
        lease.Renew(time.GetTimestamp());
        lease.Revoke();
        lease.Renew(time.GetTimestamp());
        Assert.False(lease.IsValid);
    }

    [Fact]
    public async Task A_silo_without_a_valid_lease_runs_no_turn_and_writes_no_state()
    {
        await using var cluster = new InProcessCluster();
        var silo = await cluster.StartSiloAsync();
        var factory = InProcessCluster.FactoryOf(silo);
        var grain = factory.GetGrain<IStatefulGrain>(GrainProbe.UniqueKey("fenced"));
        await grain.Add("before");

        cluster.Table.Unavailable = true; // heartbeats fail from now on: the lease runs out
        await InProcessClusterTests.WaitUntil(() => !silo.Services.GetRequiredService<MembershipLease>().IsValid);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.Add("while fenced"));

        cluster.Table.Unavailable = false; // the table is back: the lease is renewed, the silo serves again
        await InProcessClusterTests.WaitUntil(() => silo.Services.GetRequiredService<MembershipLease>().IsValid);
        Assert.Equal(2, await grain.Add("after"));
    }
}
