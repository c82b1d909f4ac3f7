using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Silo.Tests;

/// <summary>The silo's tenant registry at startup: the old file store is migrated, configured tenants are seeded in bulk.</summary>
public sealed class TenantRegistryStartupTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_data_directory_with_the_old_file_store_is_migrated_into_the_registry_on_first_start()
    {
        const string token = "old-file-store-token-0123456789abcdef";
        const string apiKey = "sk-old-file-store-key-0123456789";
        var legacy = _data.Combine("tenants", LegacyTenantFile.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(legacy)!);
        await File.WriteAllTextAsync(legacy, $$$"""
            {"version":1,
             "tenants":[{"tenantId":"acme","displayName":"Acme","plan":"pro","disabled":false,"createdAt":"2025-06-01T00:00:00+00:00",
                         "config":{"provider":"openai","model":"gpt-x","apiKey":"{{{apiKey}}}"}}],
             "tokens":[{"tokenHash":"{{{TenantTokens.Hash(token)}}}","tenantId":"acme","createdAt":"2025-06-01T00:00:00+00:00"}]}
            """);

        await using (var silo = await InProcessSilo.StartAsync(_data.Path))
        {
            var registry = silo.Services.GetRequiredService<ITenantRegistry>();
            Assert.Equal("acme", await registry.FindTenantByTokenAsync(token, default));
            var acme = (await registry.GetAsync("acme", default))!;
            Assert.Equal("pro", acme.Plan);
            Assert.StartsWith(TenantSecrets.Prefix, acme.Config.ApiKey);
            Assert.Equal(apiKey, silo.Services.GetRequiredService<ITenantSecretProtector>().Unprotect(acme.Config.ApiKey!));
        }

        Assert.False(File.Exists(legacy));
        Assert.True(File.Exists(legacy + LegacyTenantFile.MigratedSuffix));

        // The next start finds the tenant in the registry and nothing to migrate.
        await using (var silo = await InProcessSilo.StartAsync(_data.Path))
            Assert.Equal("acme", await silo.Services.GetRequiredService<ITenantRegistry>().FindTenantByTokenAsync(token, default));
    }

    [Fact]
    public async Task A_thousand_configured_tenants_are_seeded_in_bulk_and_keep_what_operators_changed()
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < 1000; i++)
        {
            settings[$"tenants:{i}:id"] = $"conf-{i:0000}";
            settings[$"tenants:{i}:provider"] = "openai";
            settings[$"tenants:{i}:model"] = "gpt-test";
            settings[$"tenants:{i}:apiKey"] = $"sk-configured-{i:0000}";
            settings[$"tenants:{i}:token"] = $"configured-token-{i:0000}-0123456789abcdef";
        }

        await using (var silo = await InProcessSilo.StartAsync(_data.Path, settings: settings))
        {
            var registry = silo.Services.GetRequiredService<ITenantRegistry>();
            Assert.Equal(1000, (await registry.ListAsync(new TenantQuery { After = "conf-", Limit = 1000 }, default)).Tenants.Count(t => t.TenantId.StartsWith("conf-", StringComparison.Ordinal)));
            Assert.Equal("conf-0777", await registry.FindTenantByTokenAsync("configured-token-0777-0123456789abcdef", default));
            Assert.StartsWith(TenantSecrets.Prefix, (await registry.GetAsync("conf-0001", default))!.Config.ApiKey);
            Assert.True(await registry.SetStatusAsync("conf-0002", TenantStatus.Suspended, default));
        }

        await using (var silo = await InProcessSilo.StartAsync(_data.Path, settings: settings))
        {
            var registry = silo.Services.GetRequiredService<ITenantRegistry>();
            Assert.Equal(TenantStatus.Suspended, (await registry.GetAsync("conf-0002", default))!.Status);
            Assert.Null(await registry.FindTenantByTokenAsync("configured-token-0002-0123456789abcdef", default));
            Assert.Equal("conf-0003", await registry.FindTenantByTokenAsync("configured-token-0003-0123456789abcdef", default));
        }
    }
}
