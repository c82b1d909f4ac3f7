using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime;
using OpenClaw.Silo.Configuration;

namespace OpenClaw.Silo.Tenants;

/// <summary>
/// At startup, creates or updates the tenants declared in configuration and, for the zero-setup
/// default, a demo tenant on the <c>echo</c> provider with a known token. Outside Development and
/// Testing, configured tokens must be strong (<see cref="TenantTokens.IsStrong"/>) unless
/// <c>security:allowWeakTokens</c> is true: a weak one stops the silo from starting.
/// </summary>
internal sealed class TenantSeeder(
    ITenantRegistry store,
    IOptions<DemoTenantOptions> demo,
    IOptions<StorageOptions> storage,
    IConfiguration configuration,
    DemoTenantAnnouncement announcement,
    IHostEnvironment environment,
    ILogger<TenantSeeder> logger) : IHostedService
{
    /// <summary>The generated demo token, kept in the data directory.</summary>
    public const string DemoTokenFileName = "demo-token";

    private const int SeedBatchSize = 1000;
    private static readonly TenantTokenRequest ConfiguredToken = new() { Name = "configured" };
    private static readonly TenantTokenRequest DemoToken = new() { Name = "demo" };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tenants = configuration.GetSection("tenants").Get<List<ConfiguredTenant>>() ?? [];
        RefuseWeakTokens(tenants);
        await SeedConfiguredAsync(tenants, cancellationToken);
        if (demo.Value.Enabled) await SeedDemoAsync(cancellationToken);
    }

    private void RefuseWeakTokens(List<ConfiguredTenant> tenants)
    {
        if (environment.IsDevelopment() || environment.IsEnvironment("Testing") || configuration.GetValue("security:allowWeakTokens", false)) return;
        var weak = tenants.Select((tenant, index) => (tenant, index))
            .Where(t => !string.IsNullOrEmpty(t.tenant.Token) && !TenantTokens.IsStrong(t.tenant.Token))
            .Select(t => $"tenants[{t.index}] ('{t.tenant.Id}')")
            .ToList();
        if (demo.Value.Enabled && !string.IsNullOrEmpty(demo.Value.Token) && !TenantTokens.IsStrong(demo.Value.Token))
            weak.Add($"the demo token ('{demo.Value.TenantId}', --demo-token / OPENCLAW_DEMO_TOKEN)");
        if (weak.Count == 0) return;
        throw new InvalidOperationException(
            $"Refusing to start: weak tenant token for {string.Join(", ", weak)}. Tokens need at least {TenantTokens.MinStrongLength} random characters " +
            $"(e.g. `openssl rand -hex 16`); set security:allowWeakTokens=true to accept weak tokens anyway.");
    }

    /// <summary>
    /// Upserts every configured tenant in batches (one transaction each), keeping what operators
    /// changed since (status, plan, creation time), then registers their tokens.
    /// </summary>
    private async Task SeedConfiguredAsync(List<ConfiguredTenant> tenants, CancellationToken cancellationToken)
    {
        for (var start = 0; start < tenants.Count; start += SeedBatchSize)
        {
            var batch = tenants.GetRange(start, Math.Min(SeedBatchSize, tenants.Count - start));
            var records = new List<TenantRecord>(batch.Count);
            foreach (var tenant in batch)
            {
                var existing = await store.GetAsync(tenant.Id, cancellationToken);
                records.Add(new TenantRecord
                {
                    TenantId = tenant.Id,
                    DisplayName = tenant.DisplayName ?? existing?.DisplayName ?? tenant.Id,
                    Plan = existing?.Plan ?? "free",
                    Status = existing?.Status ?? TenantStatus.Active,
                    Config = new TenantConfig
                    {
                        Provider = tenant.Provider,
                        Model = tenant.Model,
                        ApiKey = tenant.ApiKey,
                        BaseUrl = tenant.BaseUrl,
                        AgentName = tenant.AgentName ?? "OpenClaw",
                    },
                });
            }

            await store.UpsertManyAsync(records, cancellationToken);
            foreach (var tenant in batch.Where(t => !string.IsNullOrEmpty(t.Token)))
                await store.AddTokenAsync(tenant.Id, tenant.Token!, ConfiguredToken, cancellationToken);
        }

        if (tenants.Count > 0) SiloLog.TenantsSeeded(logger, tenants.Count);
    }

    private async Task SeedDemoAsync(CancellationToken cancellationToken)
    {
        var tenantId = demo.Value.TenantId;
        if (await store.GetAsync(tenantId, cancellationToken) is null)
        {
            await store.UpsertAsync(new TenantRecord
            {
                TenantId = tenantId,
                DisplayName = "Demo tenant",
                Config = new TenantConfig { Provider = "echo", Model = "echo-1" },
            }, cancellationToken);
        }

        var token = demo.Value.Token;
        if (string.IsNullOrEmpty(token))
        {
            // Generated once and kept (owner-readable only) so every start can print it again.
            var tokenFile = Path.Combine(storage.Value.DataDirectory, DemoTokenFileName);
            if (File.Exists(tokenFile)) token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
            if (string.IsNullOrEmpty(token))
            {
                token = (await store.IssueTokenAsync(tenantId, DemoToken, cancellationToken)).Plaintext;
                await WriteTokenFileAsync(tokenFile, token, cancellationToken);
                announcement.Set(tenantId, token);
                return;
            }
        }
        await store.AddTokenAsync(tenantId, token, DemoToken, cancellationToken);
        announcement.Set(tenantId, token);
    }

    /// <summary>Created 0600 from the start (no moment where others can read it); an existing empty file is narrowed too.</summary>
    private static async Task WriteTokenFileAsync(string path, string token, CancellationToken cancellationToken)
    {
        OwnerOnlyPaths.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, OwnerOnlyPaths.ForNewFile(new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write }));
        await using (stream)
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(token), cancellationToken);
        }
        OwnerOnlyPaths.TryRestrict(path, out _);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The demo tenant's id and token, printed once the server listens.</summary>
internal sealed class DemoTenantAnnouncement
{
    public string? TenantId { get; private set; }
    public string? Token { get; private set; }

    public void Set(string tenantId, string token)
    {
        TenantId = tenantId;
        Token = token;
    }
}
