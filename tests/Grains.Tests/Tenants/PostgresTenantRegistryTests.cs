using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Grains.Tests.Tenants;

/// <summary>
/// Runs against the PostgreSQL named by <c>OPENCLAW_TEST_POSTGRES</c> (a connection string), in
/// a schema of its own per test that is dropped afterwards. Fails when the variable is missing:
/// run scripts/test.sh, which starts a throwaway PostgreSQL and sets it.
/// </summary>
public sealed class PostgresTenantRegistryTests : TenantRegistryContractTests, IAsyncLifetime
{
    public const string ConnectionStringVariable = "OPENCLAW_TEST_POSTGRES";

    private readonly string _connectionString;
    private readonly string _schema = "tenants_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<PostgresTenantRegistry> _registries = [];

    public PostgresTenantRegistryTests()
    {
        _connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ConnectionStringVariable} is not set: the PostgreSQL tests need a database. Run scripts/test.sh, which starts a throwaway PostgreSQL and sets it.");
    }

    protected override Task<ITenantRegistry> OpenAsync() => Task.FromResult<ITenantRegistry>(Open());

    private PostgresTenantRegistry Open()
    {
        var registry = new PostgresTenantRegistry(
            Options.Create(new PostgresTenantRegistryOptions { ConnectionString = _connectionString, SchemaName = _schema }),
            Secrets, timeProvider: Clock);
        _registries.Add(registry);
        return registry;
    }

    protected override async Task<string> RawContentAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand(
            $"SELECT (SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM \"{_schema}\".tenants t) || (SELECT coalesce(string_agg(k::text, E'\\n'), '') FROM \"{_schema}\".tenant_tokens k)");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await registry.DisposeAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Tables_hold_token_hashes_never_plaintext_and_keep_revoked_rows()
    {
        var registry = Open();
        await registry.CreateAsync(Tenant("alice"), default);
        var token = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        var second = await registry.AddTokenAsync("alice", "second-token", new TenantTokenRequest(), default);
        await registry.RevokeTokenAsync("alice", second.TokenId, default);

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
        Assert.Contains((TenantTokens.Hash(token.Plaintext), "alice", false), rows);
        Assert.Contains((TenantTokens.Hash("second-token"), "alice", true), rows);
        Assert.DoesNotContain(token.Plaintext, await RawContentAsync());
    }

    [Fact]
    public async Task Two_registries_on_one_database_see_each_others_writes_at_once()
    {
        var first = Open();
        var second = Open();

        await first.CreateAsync(Tenant("alice"), default);
        var token = await second.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        Assert.Equal("alice", await first.FindTenantByTokenAsync(token.Plaintext, default));

        await first.SetStatusAsync("alice", TenantStatus.Suspended, default);
        Assert.Null(await second.FindTenantByTokenAsync(token.Plaintext, default));
        await first.SetStatusAsync("alice", TenantStatus.Active, default);
        await second.RevokeTokenAsync("alice", token.Token.TokenId, default);
        Assert.Null(await first.FindTenantByTokenAsync(token.Plaintext, default));
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_in_place()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await PostgresSchemaMigrator.MigrateAsync(dataSource, PostgresTenantRegistrySchema.Component, PostgresTenantRegistrySchema.Migrations.Take(1).ToList(), _schema, null, default);
        const string token = "v1-token-for-alice-0123456789abcdef";
        await using (var insert = dataSource.CreateCommand(
            $$$"""
            INSERT INTO "{{{_schema}}}".tenants (tenant_id, record, created_at, updated_at) VALUES
              ('alice', '{"tenantId":"alice","displayName":"Alice","plan":"pro","disabled":false,"createdAt":"2025-01-01T00:00:00+00:00","config":{"provider":"openai","model":"gpt-x","apiKey":"{{{PlaintextApiKey}}}"}}', '2025-01-01', '2025-01-01'),
              ('bob', '{"tenantId":"bob","disabled":true,"config":{"provider":"echo","model":"echo-1"}}', '2025-01-02', '2025-01-02');
            INSERT INTO "{{{_schema}}}".tenant_tokens (token_hash, tenant_id, created_at, revoked_at) VALUES ('{{{TenantTokens.Hash(token)}}}', 'alice', '2025-01-01', NULL);
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var registry = Open();

        var alice = (await registry.GetAsync("alice", default))!;
        Assert.Equal("Alice", alice.DisplayName);
        Assert.Equal("pro", alice.Plan);
        Assert.Equal(TenantStatus.Active, alice.Status);
        Assert.Equal("gpt-x", alice.Config.Model);
        Assert.Equal(PlaintextApiKey, Secrets.Unprotect(alice.Config.ApiKey!));
        Assert.Equal(TenantStatus.Suspended, (await registry.GetAsync("bob", default))!.Status);
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(token, default));
        var info = Assert.Single(await registry.ListTokensAsync("alice", default));
        Assert.Equal(TenantTokens.IdOf(TenantTokens.Hash(token)), info.TokenId);
        Assert.DoesNotContain(PlaintextApiKey, await RawContentAsync());
    }

    [Fact]
    public async Task Registers_as_the_registry_singleton_and_the_edge_gets_a_resolver_only()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(Secrets)
            .AddPostgresTenantRegistry(o =>
            {
                o.ConnectionString = _connectionString;
                o.SchemaName = _schema;
            })
            .BuildServiceProvider();

        var registry = services.GetRequiredService<ITenantRegistry>();
        Assert.IsType<PostgresTenantRegistry>(registry);
        Assert.Same(registry, services.GetRequiredService<ITenantTokenResolver>());
        Assert.Equal(0, await registry.CountAsync(null, default));

        await using var edge = new ServiceCollection()
            .AddLogging()
            .AddPostgresTenantTokenResolver(o =>
            {
                o.ConnectionString = _connectionString;
                o.SchemaName = _schema;
            })
            .BuildServiceProvider();
        Assert.Null(edge.GetService<ITenantRegistry>());
        Assert.Null(await edge.GetRequiredService<ITenantTokenResolver>().FindTenantByTokenAsync("oct_nothing", default));
    }

    [Fact]
    public void Options_without_a_connection_string_are_rejected()
    {
        Assert.Throws<OptionsValidationException>(() => new PostgresTenantRegistry(Options.Create(new PostgresTenantRegistryOptions()), Secrets));
    }
}
