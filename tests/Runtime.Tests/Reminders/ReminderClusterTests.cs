using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime.Postgres;
using OpenClaw.Runtime.Tests.Cluster;
using OpenClaw.Runtime.Tests.Persistence;

namespace OpenClaw.Runtime.Tests.Reminders;

/// <summary>
/// Reminders across in-process silos with real sockets and a shared table: each is owned (fired)
/// by exactly one Active silo, a registration on any silo reaches the owner at once, and the
/// reminders of an owner that stops or is declared dead move to the silos that remain.
/// </summary>
public abstract class ReminderClusterTests : IAsyncLifetime
{
    private readonly InProcessCluster _cluster = new();
    private readonly ReminderProbe _probe = new();
    private readonly List<IHost> _silos = [];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 2; i++) _silos.Add(await StartSiloAsync());
        await _cluster.WaitAllActiveAsync();
        await Eventually.True(() => _silos.All(s => Service(s).Count == 0 && Ownership(s).OwnedRanges.Count > 0), "every silo owns a share");
    }

    public virtual async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>The table one silo uses (the same one, or one over the same database).</summary>
    protected abstract IReminderTable TableForSilo();

    private Task<IHost> StartSiloAsync() => _cluster.StartSiloAsync(runtime: runtime =>
    {
        runtime.Services.AddSingleton(_probe);
        runtime.Services.AddSingleton(TableForSilo());
        runtime.AddReminders().ConfigureReminders(o =>
        {
            ReminderSilo.TestOptions(o);
            o.MaxRemindersPerGrain = 64;
        });
    });

    private static ReminderService Service(IHost silo) => silo.Services.GetRequiredService<ReminderService>();

    private static IReminderOwnership Ownership(IHost silo) => silo.Services.GetRequiredService<IReminderOwnership>();

    private static IReminderRegistry Registry(IHost silo) => silo.Services.GetRequiredService<IReminderRegistry>();

    private static GrainId Probe(string key) => new("reminderprobe", key);

    /// <summary>A key whose reminders <paramref name="owner"/> owns.</summary>
    private static string KeyOwnedBy(IHost owner, string prefix) =>
        Enumerable.Range(0, 10_000).Select(i => $"{prefix}-{i}").First(k => Ownership(owner).Owns(ReminderHash.Of(Probe(k))));

    [Fact]
    public async Task A_registration_on_another_silo_is_scheduled_by_the_owner_before_it_returns()
    {
        var (owner, other) = (_silos[0], _silos[1]);
        var key = KeyOwnedBy(owner, "remote");

        await Registry(other).RegisterOrUpdateAsync(Probe(key), "r", TimeSpan.FromHours(1), TimeSpan.FromHours(1));

        Assert.True(Service(owner).IsScheduled(Probe(key), "r"));
        Assert.False(Service(other).IsScheduled(Probe(key), "r"));

        await Registry(other).UnregisterAsync(Probe(key), "r");
        Assert.False(Service(owner).IsScheduled(Probe(key), "r"));
    }

    [Fact]
    public async Task Each_reminder_fires_on_exactly_one_silo_and_each_tick_once()
    {
        var keys = Enumerable.Range(0, 12).Select(i => "steady-" + i).ToList();
        for (var i = 0; i < keys.Count; i++)
            await Registry(_silos[i % 2]).RegisterOrUpdateAsync(Probe(keys[i]), "r", TimeSpan.Zero, TimeSpan.FromSeconds(1));

        await Eventually.True(() => keys.All(k => _probe.For(k).Count >= 3), "three ticks of every reminder");

        foreach (var key in keys)
        {
            Assert.Equal(1, _silos.Count(s => Service(s).IsScheduled(Probe(key), "r")));
            var ticks = _probe.For(key).Select(t => t.Status.CurrentTickTime).ToList();
            Assert.Equal(ticks.Count, ticks.Distinct().Count());
        }
        Assert.All(_silos, s => Assert.True(Service(s).Count > 0, "both silos own some of the twelve"));
    }

    [Fact]
    public async Task The_reminders_of_a_stopped_silo_keep_firing_on_the_others()
    {
        var leaving = _silos[1];
        var key = KeyOwnedBy(leaving, "failover");
        await Registry(_silos[0]).RegisterOrUpdateAsync(Probe(key), "r", TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await Eventually.True(() => _probe.For(key).Count >= 1, "the first tick from the owner");

        await _cluster.StopSiloAsync(leaving);
        _silos.Remove(leaving);
        var stoppedAt = DateTimeOffset.UtcNow;

        await Eventually.True(() => Service(_silos[0]).IsScheduled(Probe(key), "r"), "the remaining silo took the reminder");
        await Eventually.True(() => _probe.For(key).Any(t => t.Status.CurrentTickTime > stoppedAt + TimeSpan.FromSeconds(1)), "ticks after the stop");
    }

    [Fact]
    public async Task The_reminders_of_a_silo_declared_dead_keep_firing_on_the_others()
    {
        var lost = _silos[1];
        var survivor = _silos[0];
        var key = KeyOwnedBy(lost, "lost");
        await Registry(survivor).RegisterOrUpdateAsync(Probe(key), "r", TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await Eventually.True(() => _probe.For(key).Count >= 1, "the first tick from the owner");

        // What the membership does to a crashed silo: its peers declare it dead. The dead silo sees
        // it too and stops firing (it owns nothing once it is not Active).
        await _cluster.Table.SetStatusAsync(InProcessCluster.AddressOf(lost), SiloStatus.Dead, CancellationToken.None);
        var deadAt = DateTimeOffset.UtcNow;

        await Eventually.True(() => Service(survivor).IsScheduled(Probe(key), "r"), "the survivor took the reminder");
        await Eventually.True(() => !Service(lost).IsScheduled(Probe(key), "r"), "the dead silo dropped it");
        await Eventually.True(() => _probe.For(key).Any(t => t.Status.CurrentTickTime > deadAt + TimeSpan.FromSeconds(1)), "ticks after the loss");
    }
}

public sealed class InMemoryReminderClusterTests : ReminderClusterTests
{
    private readonly InMemoryReminderTable _table = new();

    protected override IReminderTable TableForSilo() => _table;
}

/// <summary>Two silos, each with its own connection pool to one PostgreSQL reminder table.</summary>
public sealed class PostgresReminderClusterTests(PostgresSchemaFixture fixture) : ReminderClusterTests, IClassFixture<PostgresSchemaFixture>
{
    private readonly string _clusterId = "cluster-" + Guid.NewGuid().ToString("N");
    private readonly List<PostgresReminderTable> _tables = [];

    protected override IReminderTable TableForSilo()
    {
        var table = new PostgresReminderTable(Options.Create(new PostgresReminderTableOptions
        {
            ConnectionString = fixture.ConnectionString,
            SchemaName = fixture.SchemaName,
            ClusterId = _clusterId,
        }), NullLogger<PostgresReminderTable>.Instance);
        _tables.Add(table);
        return table;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var table in _tables) await table.DisposeAsync();
    }
}
