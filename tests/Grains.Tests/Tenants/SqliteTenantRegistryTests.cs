using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Tests.Workspace;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tests.Tenants;

public sealed class SqliteTenantRegistryTests : TenantRegistryContractTests, IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly List<SqliteTenantRegistry> _registries = [];

    private string RegistryDirectory => _root.Combine("data", "tenants");

    private string DatabasePath => Path.Join(RegistryDirectory, SqliteTenantRegistryOptions.DefaultFileName);

    protected override Task<ITenantRegistry> OpenAsync() => Task.FromResult<ITenantRegistry>(Open());

    private SqliteTenantRegistry Open()
    {
        var registry = new SqliteTenantRegistry(
            Options.Create(new SqliteTenantRegistryOptions { Directory = RegistryDirectory }), Secrets, timeProvider: Clock);
        _registries.Add(registry);
        return registry;
    }

    protected override async Task<string> RawContentAsync()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(RegistryDirectory, SqliteTenantRegistryOptions.DefaultFileName + "*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync());
        }

        return text.ToString();
    }

    public void Dispose()
    {
        foreach (var registry in _registries)
        {
            registry.Dispose();
        }

        _root.Dispose();
    }

    [Fact]
    public async Task The_database_is_private_to_its_owner_and_in_wal_mode()
    {
        if (OperatingSystem.IsWindows()) return;
        var registry = Open();
        await registry.CreateAsync(Tenant("alice"), default);

        Assert.Equal(OwnerOnlyPaths.DirectoryMode, File.GetUnixFileMode(RegistryDirectory));
        foreach (var file in Directory.GetFiles(RegistryDirectory))
            Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(file));

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA user_version";
        Assert.Equal(SqliteTenantRegistrySchemaVersion, Convert.ToInt32(await command.ExecuteScalarAsync()));
    }

    private static int SqliteTenantRegistrySchemaVersion => 1;

    [Fact]
    public async Task Token_lookups_and_tenant_reads_use_indexes_not_scans()
    {
        var registry = Open();
        await registry.CreateAsync(Tenant("alice"), default);

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        foreach (var sql in new[]
                 {
                     "SELECT k.tenant_id FROM tenant_tokens k JOIN tenants t ON t.tenant_id = k.tenant_id WHERE k.token_hash = 'x' AND t.status = 0",
                     "SELECT * FROM tenants WHERE tenant_id = 'x'",
                     "SELECT * FROM tenants WHERE status = 1 AND tenant_id > 'a' ORDER BY tenant_id LIMIT 10",
                     "SELECT * FROM tenants WHERE plan = 'pro' AND tenant_id > 'a' ORDER BY tenant_id LIMIT 10",
                     "SELECT * FROM tenant_tokens WHERE tenant_id = 'x'",
                 })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            await using var reader = await command.ExecuteReaderAsync();
            var plan = new StringBuilder();
            while (await reader.ReadAsync()) plan.AppendLine(reader.GetString(3));
            Assert.DoesNotMatch(@"SCAN (t|k|tenants|tenant_tokens)\b(?! USING)", plan.ToString());
        }
    }

    [Fact]
    public async Task An_old_tenant_file_is_imported_once_and_renamed()
    {
        Directory.CreateDirectory(RegistryDirectory);
        var legacy = Path.Join(RegistryDirectory, LegacyTenantFile.FileName);
        const string activeToken = "legacy-token-for-alice-0123456789";
        const string revokedToken = "legacy-revoked-token-0123456789";
        await File.WriteAllTextAsync(legacy, $$"""
            {
              "version": 1,
              "tenants": [
                { "tenantId": "alice", "displayName": "Alice", "plan": "pro", "disabled": false, "createdAt": "2025-05-01T10:00:00+00:00",
                  "config": { "provider": "openai", "model": "gpt-x", "apiKey": "{{PlaintextApiKey}}", "agentName": "OpenClaw" } },
                { "tenantId": "bob", "displayName": "Bob", "plan": "free", "disabled": true, "createdAt": "2025-05-02T10:00:00+00:00",
                  "config": { "provider": "echo", "model": "echo-1", "agentName": "OpenClaw" } }
              ],
              "tokens": [
                { "tokenHash": "{{TenantTokens.Hash(activeToken)}}", "tenantId": "alice", "createdAt": "2025-05-01T10:00:00+00:00" },
                { "tokenHash": "{{TenantTokens.Hash(revokedToken)}}", "tenantId": "alice", "createdAt": "2025-05-01T10:00:00+00:00", "revokedAt": "2025-05-03T10:00:00+00:00" }
              ]
            }
            """);

        var registry = Open();
        await registry.OpenAsync(default);

        Assert.False(File.Exists(legacy));
        Assert.True(File.Exists(legacy + LegacyTenantFile.MigratedSuffix));
        var alice = (await registry.GetAsync("alice", default))!;
        Assert.Equal("Alice", alice.DisplayName);
        Assert.Equal("pro", alice.Plan);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 0, 0, TimeSpan.Zero), alice.CreatedAt);
        Assert.Equal(PlaintextApiKey, Secrets.Unprotect(alice.Config.ApiKey!));
        Assert.Equal(TenantStatus.Suspended, (await registry.GetAsync("bob", default))!.Status);
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(activeToken, default));
        Assert.Null(await registry.FindTenantByTokenAsync(revokedToken, default));
        Assert.Equal(2, (await registry.ListTokensAsync("alice", default)).Count);
        Assert.DoesNotContain(PlaintextApiKey, await RawContentAsync());

        // A second start finds nothing to import.
        var again = Open();
        await again.OpenAsync(default);
        Assert.Equal(2, await again.CountAsync(TenantStatus.Active, default) + await again.CountAsync(TenantStatus.Suspended, default));
    }

    [Theory]
    [InlineData("""{"version":1,"tenants":[{"tenantId":"ali""")]
    [InlineData("null")]
    [InlineData("""{"version":9,"tenants":[],"tokens":[]}""")]
    [InlineData("""{"version":1,"tenants":[{"tenantId":"../x"}],"tokens":[]}""")]
    [InlineData("""{"version":1,"tenants":[{"tenantId":"a"}],"tokens":[{"tokenHash":"plaintext!","tenantId":"a"}]}""")]
    [InlineData("""{"version":1,"tenants":[],"tokens":[{"tokenHash":"0000000000000000000000000000000000000000000000000000000000000000","tenantId":"ghost"}]}""")]
    public async Task An_unreadable_old_tenant_file_is_refused_by_name_and_left_untouched(string content)
    {
        Directory.CreateDirectory(RegistryDirectory);
        var legacy = Path.Join(RegistryDirectory, LegacyTenantFile.FileName);
        await File.WriteAllTextAsync(legacy, content);

        var registry = Open();
        var error = await Assert.ThrowsAsync<TenantStoreFileException>(() => registry.OpenAsync(default));

        Assert.Equal(legacy, error.FilePath);
        Assert.Contains(legacy, error.Message);
        Assert.Contains("Restore it from a backup", error.Message);
        Assert.Equal(content, await File.ReadAllTextAsync(legacy));
        Assert.False(File.Exists(legacy + LegacyTenantFile.MigratedSuffix));
    }

    [Fact]
    public async Task Registers_as_the_registry_and_resolver_singleton()
    {
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(Secrets)
            .AddSqliteTenantRegistry(o => o.Directory = RegistryDirectory)
            .BuildServiceProvider();

        var registry = services.GetRequiredService<ITenantRegistry>();

        Assert.IsType<SqliteTenantRegistry>(registry);
        Assert.Same(registry, services.GetRequiredService<ITenantTokenResolver>());
        Assert.Equal(0, await registry.CountAsync(null, default));
    }

    [Fact]
    public void Options_without_a_directory_are_rejected()
    {
        Assert.Throws<OptionsValidationException>(() => new SqliteTenantRegistry(Options.Create(new SqliteTenantRegistryOptions()), Secrets));
    }

    [Fact]
    public async Task A_registry_without_a_protector_refuses_to_store_a_plaintext_key()
    {
        var registry = new SqliteTenantRegistry(Options.Create(new SqliteTenantRegistryOptions { Directory = RegistryDirectory }), secrets: null);
        _registries.Add(registry);

        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.CreateAsync(Tenant("alice"), default));
        Assert.Null(await registry.GetAsync("alice", default));
    }
}
