using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime.Postgres;
using OpenClaw.Runtime.Sqlite;
using OpenClaw.Runtime.Tests.Persistence;

namespace OpenClaw.Runtime.Tests.Reminders;

/// <summary>What every reminder table must do; run against each implementation.</summary>
public abstract class ReminderTableContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    protected abstract Task<IReminderTable> CreateTableAsync();

    private static ReminderEntry Entry(string key, string name, int minutes = 0) =>
        new(new GrainId("probe", key), name, Start + minutes * Minute, Minute, "");

    [Fact]
    public async Task Upsert_writes_a_new_etag_each_time_and_forgets_delivered_ticks()
    {
        var table = await CreateTableAsync();
        var first = await table.UpsertAsync(Entry("a", "r"), null, 10, CancellationToken.None);
        Assert.Equal(ReminderUpsertStatus.Written, first.Status);
        var row = await table.ReadAsync(new GrainId("probe", "a"), "r", CancellationToken.None);
        Assert.Equal(Entry("a", "r") with { ETag = first.ETag! }, row!.Entry);
        Assert.Null(row.LastDeliveredTick);

        await table.RecordDeliveredAsync([new DeliveredTick(row.Entry.GrainId, "r", first.ETag!, Start)], CancellationToken.None);
        Assert.Equal(Start, (await table.ReadAsync(row.Entry.GrainId, "r", CancellationToken.None))!.LastDeliveredTick);

        var second = await table.UpsertAsync(Entry("a", "r", 5), null, 10, CancellationToken.None);
        Assert.NotEqual(first.ETag, second.ETag);
        row = await table.ReadAsync(new GrainId("probe", "a"), "r", CancellationToken.None);
        Assert.Equal(Start + 5 * Minute, row!.Entry.StartAt);
        Assert.Null(row.LastDeliveredTick);
    }

    [Fact]
    public async Task Writes_with_a_stale_etag_fail()
    {
        var table = await CreateTableAsync();
        var id = new GrainId("probe", "b");
        var written = await table.UpsertAsync(Entry("b", "r"), null, 10, CancellationToken.None);
        Assert.Equal(ReminderUpsertStatus.ETagMismatch, (await table.UpsertAsync(Entry("b", "r", 1), "stale", 10, CancellationToken.None)).Status);
        Assert.Equal(ReminderUpsertStatus.ETagMismatch, (await table.UpsertAsync(Entry("b", "missing"), "any", 10, CancellationToken.None)).Status);
        var updated = await table.UpsertAsync(Entry("b", "r", 2), written.ETag, 10, CancellationToken.None);
        Assert.Equal(ReminderUpsertStatus.Written, updated.Status);

        Assert.False(await table.RemoveAsync(id, "r", written.ETag, CancellationToken.None));
        Assert.True(await table.RemoveAsync(id, "r", updated.ETag, CancellationToken.None));
        Assert.False(await table.RemoveAsync(id, "r", null, CancellationToken.None));
        Assert.Null(await table.ReadAsync(id, "r", CancellationToken.None));
    }

    [Fact]
    public async Task New_rows_beyond_the_per_grain_bound_are_refused_updates_are_not()
    {
        var table = await CreateTableAsync();
        for (var i = 0; i < 2; i++) Assert.Equal(ReminderUpsertStatus.Written, (await table.UpsertAsync(Entry("c", "r" + i), null, 2, CancellationToken.None)).Status);
        Assert.Equal(ReminderUpsertStatus.GrainLimitReached, (await table.UpsertAsync(Entry("c", "r2"), null, 2, CancellationToken.None)).Status);
        Assert.Equal(ReminderUpsertStatus.Written, (await table.UpsertAsync(Entry("c", "r1", 3), null, 2, CancellationToken.None)).Status);
        Assert.Equal(ReminderUpsertStatus.Written, (await table.UpsertAsync(Entry("c2", "r0"), null, 2, CancellationToken.None)).Status);
        Assert.Equal(["r0", "r1"], (await table.ReadGrainAsync(new GrainId("probe", "c"), CancellationToken.None)).Select(r => r.Entry.Name).Order());
    }

    [Fact]
    public async Task Range_reads_return_exactly_the_rows_whose_grain_hash_is_inside()
    {
        var table = await CreateTableAsync();
        var keys = Enumerable.Range(0, 200).Select(i => "range-" + i).ToList();
        foreach (var key in keys) await table.UpsertAsync(Entry(key, "r"), null, 10, CancellationToken.None);
        var ranges = new[] { new ReminderHashRange(0, 0x3fffffff), new ReminderHashRange(0x40000000, 0xbfffffff), new ReminderHashRange(0xc0000000, uint.MaxValue) };
        var seen = new List<string>();
        foreach (var range in ranges)
        {
            foreach (var row in await table.ReadRangeAsync(range, CancellationToken.None))
            {
                Assert.True(range.Contains(ReminderHash.Of(row.Entry.GrainId)));
                seen.Add(row.Entry.GrainId.Key);
            }
        }
        Assert.Equal(keys.Order(), seen.Where(keys.Contains).Order());
        Assert.Equal(keys.Order(), (await table.ReadRangeAsync(ReminderHashRange.All, CancellationToken.None)).Select(r => r.Entry.GrainId.Key).Where(keys.Contains).Order());
    }

    [Fact]
    public async Task Delivered_ticks_apply_to_their_schedule_only_and_never_move_back()
    {
        var table = await CreateTableAsync();
        var id = new GrainId("probe", "d/with/slashes");
        var written = await table.UpsertAsync(new ReminderEntry(id, "r", Start, Minute, ""), null, 10, CancellationToken.None);
        await table.RecordDeliveredAsync(
        [
            new DeliveredTick(id, "r", written.ETag!, Start + 2 * Minute),
            new DeliveredTick(id, "missing", "x", Start),
        ], CancellationToken.None);
        await table.RecordDeliveredAsync([new DeliveredTick(id, "r", written.ETag!, Start + Minute)], CancellationToken.None);
        await table.RecordDeliveredAsync([new DeliveredTick(id, "r", "old-schedule", Start + 9 * Minute)], CancellationToken.None);
        var row = await table.ReadAsync(id, "r", CancellationToken.None);
        Assert.Equal(Start + 2 * Minute, row!.LastDeliveredTick);
        Assert.Equal(id, row.Entry.GrainId);
    }
}

public sealed class InMemoryReminderTableContractTests : ReminderTableContractTests
{
    protected override Task<IReminderTable> CreateTableAsync() => Task.FromResult<IReminderTable>(new InMemoryReminderTable());
}

public sealed class SqliteReminderTableContractTests : ReminderTableContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<SqliteReminderTable> _tables = [];

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        var table = new SqliteReminderTable(new SqliteReminderTableOptions { Directory = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N")) },
            NullLogger<SqliteReminderTable>.Instance);
        _tables.Add(table);
        await table.InitializeAsync(CancellationToken.None);
        return table;
    }

    public void Dispose()
    {
        foreach (var table in _tables) table.Dispose();
        _directory.Dispose();
    }
}

public sealed class PostgresReminderTableContractTests(PostgresSchemaFixture fixture) : ReminderTableContractTests, IClassFixture<PostgresSchemaFixture>, IAsyncDisposable
{
    private readonly List<PostgresReminderTable> _tables = [];

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        // Each test its own cluster id: rows of other tests in the shared schema stay invisible.
        var table = new PostgresReminderTable(Options.Create(new PostgresReminderTableOptions
        {
            ConnectionString = fixture.ConnectionString,
            SchemaName = fixture.SchemaName,
            ClusterId = "contract-" + Guid.NewGuid().ToString("N"),
        }), NullLogger<PostgresReminderTable>.Instance);
        _tables.Add(table);
        await table.InitializeAsync(CancellationToken.None);
        return table;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var table in _tables) await table.DisposeAsync();
    }
}
