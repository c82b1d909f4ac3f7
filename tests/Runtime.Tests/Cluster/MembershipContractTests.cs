using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime.Postgres;
using OpenClaw.Runtime.Tests.Persistence;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Runtime.Tests.Cluster;

/// <summary>
/// The rules every membership table and grain directory must keep, run against the PostgreSQL
/// implementations and the in-memory ones the in-process tests use.
/// </summary>
public abstract class MembershipContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static long _generation = 1_000;

    protected abstract (IMembershipTable Table, IGrainDirectory Directory) Create();

    private static SiloAddress NewSilo(int port = 0) =>
        new("127.0.0.1", port == 0 ? Random.Shared.Next(20_000, 60_000) : port, Interlocked.Increment(ref _generation));

    [Fact]
    public async Task A_joining_silo_appears_as_Joining_and_every_change_moves_the_version()
    {
        var (table, _) = Create();
        await table.InitializeAsync(default);
        var before = await table.ReadVersionAsync(default);
        var silo = NewSilo();
        await table.JoinAsync(silo, "host-a", default);
        var afterJoin = await table.ReadVersionAsync(default);
        Assert.True(afterJoin > before);
        var entry = (await table.ReadAllAsync(default)).Find(silo);
        Assert.NotNull(entry);
        Assert.Equal(SiloStatus.Joining, entry.Status);
        Assert.Equal("host-a", entry.HostName);

        Assert.Equal(SiloStatus.Active, await table.SetStatusAsync(silo, SiloStatus.Active, default));
        Assert.True(await table.ReadVersionAsync(default) > afterJoin);
        Assert.Equal(SiloStatus.Active, (await table.ReadAllAsync(default)).StatusOf(silo));
    }

    [Fact]
    public async Task A_new_generation_on_the_same_endpoint_declares_the_old_one_dead()
    {
        var (table, _) = Create();
        await table.InitializeAsync(default);
        var old = NewSilo();
        await table.JoinAsync(old, "h", default);
        await table.SetStatusAsync(old, SiloStatus.Active, default);
        var restarted = old with { Generation = old.Generation + 1_000_000 };
        await table.JoinAsync(restarted, "h", default);
        var snapshot = await table.ReadAllAsync(default);
        Assert.Equal(SiloStatus.Dead, snapshot.StatusOf(old));
        Assert.Equal(SiloStatus.Joining, snapshot.StatusOf(restarted));
    }

    [Fact]
    public async Task Dead_is_final_and_a_dead_silo_learns_it_from_its_heartbeat()
    {
        var (table, _) = Create();
        await table.InitializeAsync(default);
        var silo = NewSilo();
        var voter = NewSilo();
        await table.JoinAsync(silo, "h", default);
        await table.JoinAsync(voter, "h", default);
        Assert.Equal(SiloStatus.Joining, await table.HeartbeatAsync(silo, 3, default));
        Assert.Equal(SiloStatus.Dead, await table.SuspectAsync(silo, voter, 1, TimeSpan.FromMinutes(1), TimeSpan.Zero, default));
        Assert.Equal(SiloStatus.Dead, await table.HeartbeatAsync(silo, 3, default));
        Assert.Equal(SiloStatus.Dead, await table.SetStatusAsync(silo, SiloStatus.Active, default));
        Assert.Equal(SiloStatus.None, await table.HeartbeatAsync(NewSilo(), 0, default));
    }

    [Fact]
    public async Task A_suspect_dies_only_with_enough_votes_and_a_lease_that_has_run_out()
    {
        var (table, _) = Create();
        await table.InitializeAsync(default);
        var suspect = NewSilo();
        var first = NewSilo();
        var second = NewSilo();
        foreach (var silo in new[] { suspect, first, second }) await table.JoinAsync(silo, "h", default);

        // Fresh lease: never declared dead, whatever the votes.
        Assert.Equal(SiloStatus.Joining, await table.SuspectAsync(suspect, first, 1, TimeSpan.FromMinutes(1), Lease, default));
        // Stale lease (zero), but one vote of two needed; the same voter again does not count twice.
        Assert.Equal(SiloStatus.Joining, await table.SuspectAsync(suspect, first, 2, TimeSpan.FromMinutes(1), TimeSpan.Zero, default));
        Assert.Equal(SiloStatus.Joining, await table.SuspectAsync(suspect, first, 2, TimeSpan.FromMinutes(1), TimeSpan.Zero, default));
        Assert.Single((await table.ReadAllAsync(default)).Find(suspect)!.Suspicions);
        Assert.Equal(SiloStatus.Dead, await table.SuspectAsync(suspect, second, 2, TimeSpan.FromMinutes(1), TimeSpan.Zero, default));
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_grain_all_learn_the_same_single_winner()
    {
        var (table, directory) = Create();
        await table.InitializeAsync(default);
        await directory.InitializeAsync(default);
        // A silo holds at most one activation of a grain, so each contender is another silo.
        var silos = Enumerable.Range(0, 32).Select(_ => NewSilo()).ToArray();
        foreach (var silo in silos) await table.JoinAsync(silo, "h", default);
        var grain = new GrainId("user", Guid.NewGuid().ToString("N"));

        var results = await Task.WhenAll(silos.Select((silo, i) =>
            Task.Run(() => directory.RegisterAsync(new GrainAddress(grain, silo, $"activation-{i}"), default))));

        var winner = Assert.Single(results.Distinct());
        Assert.Equal(winner, await directory.LookupAsync(grain, default));
    }

    [Fact]
    public async Task An_entry_is_taken_over_only_from_a_dead_silo_or_by_its_own_silo()
    {
        var (table, directory) = Create();
        await table.InitializeAsync(default);
        await directory.InitializeAsync(default);
        var owner = NewSilo();
        var other = NewSilo();
        await table.JoinAsync(owner, "h", default);
        await table.JoinAsync(other, "h", default);
        var grain = new GrainId("user", Guid.NewGuid().ToString("N"));
        var first = new GrainAddress(grain, owner, "a1");
        Assert.Equal(first, await directory.RegisterAsync(first, default));

        Assert.Equal(first, await directory.RegisterAsync(new GrainAddress(grain, other, "b1"), default));
        var again = new GrainAddress(grain, owner, "a2");
        Assert.Equal(again, await directory.RegisterAsync(again, default)); // an earlier activation on the same silo

        await table.SuspectAsync(owner, other, 1, TimeSpan.FromMinutes(1), TimeSpan.Zero, default);
        var takeover = new GrainAddress(grain, other, "b2");
        Assert.Equal(takeover, await directory.RegisterAsync(takeover, default));
    }

    [Fact]
    public async Task Unregister_removes_only_the_same_activation_and_dead_silos_entries_can_be_purged()
    {
        var (table, directory) = Create();
        await table.InitializeAsync(default);
        await directory.InitializeAsync(default);
        var silo = NewSilo();
        var voter = NewSilo();
        await table.JoinAsync(silo, "h", default);
        await table.JoinAsync(voter, "h", default);
        var grain = new GrainId("user", Guid.NewGuid().ToString("N"));
        var address = new GrainAddress(grain, silo, "a1");
        await directory.RegisterAsync(address, default);
        await directory.UnregisterAsync(address with { ActivationId = "older" }, default);
        Assert.Equal(address, await directory.LookupAsync(grain, default));
        await directory.UnregisterAsync(address, default);
        Assert.Null(await directory.LookupAsync(grain, default));

        await directory.RegisterAsync(address, default);
        await table.SuspectAsync(silo, voter, 1, TimeSpan.FromMinutes(1), TimeSpan.Zero, default);
        Assert.True(await directory.RemoveDeadSilosAsync(default) >= 1);
        Assert.Null(await directory.LookupAsync(grain, default));
    }
}

public sealed class InMemoryMembershipContractTests : MembershipContractTests
{
    protected override (IMembershipTable, IGrainDirectory) Create()
    {
        var table = new InMemoryMembershipTable(TimeProvider.System);
        return (table, new InMemoryGrainDirectory(table));
    }
}

public sealed class PostgresMembershipContractTests(PostgresSchemaFixture database) : MembershipContractTests, IClassFixture<PostgresSchemaFixture>
{
    protected override (IMembershipTable, IGrainDirectory) Create()
    {
        // Each test its own cluster id: the tables are shared, the rows are not.
        var cluster = Options.Create(new ClusterOptions { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..12] });
        var db = new PostgresClusterDatabase(
            Options.Create(new PostgresClusteringOptions { ConnectionString = database.ConnectionString, SchemaName = database.SchemaName }),
            cluster, NullLogger<PostgresClusterDatabase>.Instance);
        return (new PostgresMembershipTable(db), new PostgresGrainDirectory(db));
    }
}
