using System.Text;
using Npgsql;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Runtime.Tests.Persistence;

/// <summary>What is particular to the PostgreSQL provider: lazy migration and the table's rows.</summary>
public sealed class PostgresGrainStorageTests : IAsyncLifetime
{
    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private NpgsqlDataSource? _dataSource;

    private NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("InitializeAsync did not run.");

    public async Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString);
        await using var connection = await _dataSource.OpenConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is null)
        {
            return; // InitializeAsync failed; its exception is the one to report.
        }

        await PostgresTestDatabase.DropSchemaAsync(_dataSource, _schema);
        await _dataSource.DisposeAsync();
    }

    private PostgresGrainStorage CreateStorage() =>
        new("pg", new PostgresGrainStorageOptions { ConnectionString = PostgresTestDatabase.ConnectionString, SchemaName = _schema });

    private static GrainStateKey Key(string grainKey = "k") => new("tenant", grainKey, "profile");

    [Fact]
    public async Task Many_first_calls_on_fresh_instances_migrate_once_and_all_succeed()
    {
        var storages = Enumerable.Range(0, 3).Select(_ => CreateStorage()).ToArray();
        try
        {
            var calls = storages.SelectMany(storage => Enumerable.Range(0, 8).Select(i =>
                Task.Run(() => storage.ReadAsync(Key($"k{i}"), CancellationToken.None))));

            Assert.All(await Task.WhenAll(calls), Assert.Null);

            await using var command = DataSource.CreateCommand($"SELECT version FROM \"{_schema}\".openclaw_schema_migrations WHERE component = 'grain-storage'");
            Assert.Equal(1, (int)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            foreach (var storage in storages)
            {
                await storage.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Rows_hold_jsonb_and_a_clear_keeps_a_tombstone_row()
    {
        await using var storage = CreateStorage();
        await storage.WriteAsync(Key(), Encoding.UTF8.GetBytes("""{"name":"x"}"""), 0, CancellationToken.None);

        Assert.Equal("x", await ScalarAsync<string>("SELECT data->>'name' FROM {0} WHERE grain_key = 'k'"));
        await storage.ClearAsync(Key(), 1, CancellationToken.None);

        Assert.True(await ScalarAsync<bool>("SELECT data IS NULL AND etag = 2 FROM {0} WHERE grain_key = 'k'"));
    }

    [Fact]
    public async Task Data_that_is_not_json_is_rejected_clearly()
    {
        await using var storage = CreateStorage();

        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => storage.WriteAsync(Key(), Encoding.UTF8.GetBytes("not json"), 0, CancellationToken.None));

        Assert.Contains("jsonb", error.Message, StringComparison.Ordinal);
        Assert.Null(await storage.ReadAsync(Key(), CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_migration_is_not_cached_and_the_next_call_retries_it()
    {
        await ExecuteAsync($"CREATE SCHEMA \"{_schema}\"; CREATE TABLE \"{_schema}\".openclaw_grain_state (in_the_way integer)");
        await using var storage = CreateStorage();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadAsync(Key(), CancellationToken.None));
        Assert.Contains("grain-storage v1", error.Message, StringComparison.Ordinal);

        await ExecuteAsync($"DROP TABLE \"{_schema}\".openclaw_grain_state");
        Assert.Null(await storage.ReadAsync(Key(), CancellationToken.None));
        Assert.Equal(1, await storage.WriteAsync(Key(), Encoding.UTF8.GetBytes("{}"), 0, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Host=;;;=oops")]
    public void A_bad_connection_string_is_rejected_with_a_clear_message(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresGrainStorage("pg", new PostgresGrainStorageOptions { ConnectionString = connectionString }));

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("'pg'", error.Message, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sqlWithTable)
    {
        await using var command = DataSource.CreateCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, sqlWithTable, $"\"{_schema}\".openclaw_grain_state"));
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
