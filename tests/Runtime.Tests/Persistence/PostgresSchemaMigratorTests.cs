using Npgsql;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Runtime.Tests.Persistence;

/// <summary>Every test migrates a schema of its own, created by the migrator and dropped afterwards.</summary>
public sealed class PostgresSchemaMigratorTests : IAsyncLifetime
{
    private const string Component = "test-component";

    private static readonly string[] Scripts =
    [
        "CREATE TABLE widgets (id integer PRIMARY KEY, name text NOT NULL)",
        """
        CREATE TABLE applied_log (version integer NOT NULL);
        INSERT INTO applied_log VALUES (2);
        """,
        """
        DO $$
        BEGIN
            INSERT INTO applied_log VALUES (3);
        END
        $$;
        ALTER TABLE widgets ADD COLUMN color text NULL;
        """,
    ];

    private readonly string _schema = PostgresTestDatabase.NewSchemaName();
    private readonly List<string> _extraSchemas = [];
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

        foreach (var schema in _extraSchemas.Append(_schema))
        {
            await PostgresTestDatabase.DropSchemaAsync(_dataSource, schema);
        }

        await _dataSource.DisposeAsync();
    }

    private Task<PostgresMigrationResult> MigrateAsync(IReadOnlyList<string> scripts, NpgsqlDataSource? dataSource = null, string component = Component) =>
        PostgresSchemaMigrator.MigrateAsync(dataSource ?? DataSource, component, scripts, _schema, logger: null, CancellationToken.None);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> CountAsync(string table, string where = "true") => ScalarAsync<long>($"SELECT count(*) FROM \"{_schema}\".{table} WHERE {where}");

    private async Task<int[]> RecordedVersionsAsync(string component = Component)
    {
        await using var command = DataSource.CreateCommand($"SELECT version FROM \"{_schema}\".openclaw_schema_migrations WHERE component = $1 ORDER BY version");
        command.Parameters.Add(new NpgsqlParameter { Value = component });
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return [.. versions];
    }

    private Task<bool> TableExistsAsync(string table) =>
        ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = '{_schema}' AND table_name = '{table}')");

    [Fact]
    public async Task A_fresh_schema_is_created_and_every_script_applied_in_order()
    {
        var result = await MigrateAsync(Scripts);

        Assert.Equal(new PostgresMigrationResult(Component, 0, 3, 3), result);
        Assert.Equal(3, result.AppliedCount);
        Assert.True(await ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{_schema}')"));
        Assert.True(await TableExistsAsync("widgets"));
        Assert.True(await TableExistsAsync("openclaw_schema_migrations"));
        Assert.Equal(new[] { 1, 2, 3 }, await RecordedVersionsAsync());
        Assert.Equal(2, await CountAsync("applied_log"));
        Assert.True(await ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '{_schema}' AND table_name = 'widgets' AND column_name = 'color')"));
    }

    [Fact]
    public async Task A_rerun_is_a_no_op()
    {
        await MigrateAsync(Scripts);

        var again = await MigrateAsync(Scripts);

        Assert.Equal(0, again.AppliedCount);
        Assert.Equal(3, again.PreviousVersion);
        Assert.Equal(new[] { 1, 2, 3 }, await RecordedVersionsAsync());
        Assert.Equal(2, await CountAsync("applied_log"));
    }

    [Fact]
    public async Task Only_new_scripts_are_applied()
    {
        await MigrateAsync(Scripts[..2]);

        var result = await MigrateAsync(Scripts);

        Assert.Equal(new PostgresMigrationResult(Component, 2, 3, 3), result);
        Assert.Equal(new[] { 1, 2, 3 }, await RecordedVersionsAsync());
        Assert.Equal(1, await CountAsync("applied_log", "version = 3"));
    }

    [Fact]
    public async Task Concurrent_migrators_all_succeed_and_apply_each_script_once()
    {
        string[] slowScripts = [.. Scripts, "SELECT pg_sleep(0.3); INSERT INTO applied_log VALUES (4);"];
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(PostgresTestDatabase.ConnectionString)).ToArray();
        try
        {
            var results = await Task.WhenAll(sources.Select(source => Task.Run(() => MigrateAsync(slowScripts, source))));

            Assert.All(results, r => Assert.Equal(4, r.CurrentVersion));
            Assert.Equal(4, results.Sum(r => r.AppliedCount));
            Assert.Equal(new[] { 1, 2, 3, 4 }, await RecordedVersionsAsync());
            Assert.Equal(3, await CountAsync("applied_log"));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_failing_script_rolls_the_whole_run_back()
    {
        string[] broken = [Scripts[0], "CREATE TABLE broken (id integer PRIMARY KEY, oops notatype)"];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateAsync(broken));

        Assert.Contains("test-component v2", error.Message, StringComparison.Ordinal);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.False(await TableExistsAsync("widgets"));
        Assert.Equal(new PostgresMigrationResult(Component, 0, 3, 3), await MigrateAsync(Scripts));
    }

    [Fact]
    public async Task Components_keep_their_own_versions()
    {
        await MigrateAsync(Scripts);

        var other = await MigrateAsync(["CREATE TABLE gadgets (id integer)"], component: "other-component");

        Assert.Equal(new PostgresMigrationResult("other-component", 0, 1, 1), other);
        Assert.Equal(new[] { 1 }, await RecordedVersionsAsync("other-component"));
        Assert.Equal(new[] { 1, 2, 3 }, await RecordedVersionsAsync());
    }

    [Fact]
    public async Task A_database_newer_than_the_build_is_left_alone()
    {
        await MigrateAsync(Scripts);

        var older = await MigrateAsync(Scripts[..1]);

        Assert.True(older.DatabaseIsNewer);
        Assert.Equal(0, older.AppliedCount);
        Assert.Equal(3, older.CurrentVersion);
    }

    [Fact]
    public async Task Without_a_schema_name_the_search_path_decides()
    {
        var schema = PostgresTestDatabase.NewSchemaName();
        _extraSchemas.Add(schema);
        await using (var create = DataSource.CreateCommand($"CREATE SCHEMA \"{schema}\""))
        {
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.ConnectionString) { SearchPath = schema };
        await using var scoped = NpgsqlDataSource.Create(builder.ConnectionString);
        var result = await PostgresSchemaMigrator.MigrateAsync(scoped, Component, Scripts[..1], CancellationToken.None);

        Assert.Equal(1, result.AppliedCount);
        Assert.True(await ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = '{schema}' AND table_name = 'widgets')"));
    }

    [Fact]
    public async Task Empty_scripts_are_rejected_before_touching_the_database()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => MigrateAsync(["CREATE TABLE a (id integer)", "  "]));

        Assert.False(await ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{_schema}')"));
    }
}
