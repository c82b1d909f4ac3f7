using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Grains.Tests.Tenants;

/// <summary>
/// Runs against the PostgreSQL named by <c>OPENCLAW_TEST_POSTGRES</c> (a connection string), in
/// a schema of its own per test that is dropped afterwards. Fails when the variable is missing:
/// run scripts/test.sh, which starts a throwaway PostgreSQL and sets it.
/// </summary>
public sealed class PostgresTenantStoreTests : TenantStoreContractTests, IAsyncLifetime
{
    public const string ConnectionStringVariable = "OPENCLAW_TEST_POSTGRES";

    private readonly string _connectionString;
    private readonly string _schema = "tenants_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<PostgresTenantStore> _stores = [];

    public PostgresTenantStoreTests()
    {
        _connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ConnectionStringVariable} is not set: the PostgreSQL tests need a database. Run scripts/test.sh, which starts a throwaway PostgreSQL and sets it.");
    }

    protected override Task<ITenantStore> OpenStoreAsync()
    {
        var store = new PostgresTenantStore(Options.Create(new PostgresTenantStoreOptions
        {
            ConnectionString = _connectionString,
            SchemaName = _schema,
        }));
        _stores.Add(store);
        return Task.FromResult<ITenantStore>(store);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Tables_hold_token_hashes_never_plaintext_and_keep_revoked_rows()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);
        var token = await store.IssueTokenAsync("alice", default);
        await store.AddTokenAsync("alice", "second-token", default);
        await store.RevokeTokensAsync("alice", "second-token", default);

        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(
            $"SELECT token_hash, tenant_id, revoked_at IS NOT NULL FROM \"{_schema}\".tenant_tokens ORDER BY created_at, token_hash");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string Hash, string Tenant, bool Revoked)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        Assert.Equal(2, rows.Count);
        Assert.Contains((TenantTokens.Hash(token), "alice", false), rows);
        Assert.Contains((TenantTokens.Hash("second-token"), "alice", true), rows);
        Assert.DoesNotContain(rows, r => r.Hash == token || r.Hash == "second-token");
    }

    [Fact]
    public async Task Two_stores_on_one_database_see_each_others_writes()
    {
        var first = await OpenStoreAsync();
        var second = await OpenStoreAsync();

        await first.UpsertAsync(Tenant("alice"), default);
        var token = await second.IssueTokenAsync("alice", default);
        await first.UpsertAsync(Tenant("alice", disabled: true), default);

        Assert.Null(await second.FindTenantByTokenAsync(token, default));
        Assert.True((await second.GetAsync("alice", default))!.Disabled);
    }

    [Fact]
    public async Task Registers_as_the_tenant_store_singleton()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddPostgresTenantStore(o =>
            {
                o.ConnectionString = _connectionString;
                o.SchemaName = _schema;
            })
            .BuildServiceProvider();

        var store = services.GetRequiredService<ITenantStore>();

        Assert.IsType<PostgresTenantStore>(store);
        Assert.Empty(await store.ListAsync(default));
    }

    [Fact]
    public void Options_without_a_connection_string_are_rejected()
    {
        Assert.Throws<OptionsValidationException>(() => new PostgresTenantStore(Options.Create(new PostgresTenantStoreOptions())));
    }
}
