using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The file store of earlier versions (<c>&lt;data dir&gt;/tenants/tenants.json</c>: every tenant
/// and token hash in one JSON document). Found next to the registry, it is imported once (tokens
/// stay hashes, disabled tenants become suspended, API keys are protected on the way in) and
/// renamed to <c>tenants.json.migrated</c> (kept as the way back; it still holds any API key in
/// plaintext, which a warning says, so the operator deletes it once the new version runs well). A file that cannot be read raises
/// <see cref="TenantStoreFileException"/>, which names it and the way out; it is never changed then.
/// </summary>
public static class LegacyTenantFile
{
    public const string FileName = "tenants.json";
    public const string MigratedSuffix = ".migrated";

    internal static async Task ImportIfPresentAsync(ITenantRegistry registry, string directory, ILogger logger, CancellationToken cancellationToken)
    {
        var path = Path.Join(directory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        var document = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        var tenants = document.Tenants!.Select(t => new TenantRecord
        {
            TenantId = t.TenantId!,
            DisplayName = t.DisplayName ?? "",
            Plan = t.Plan ?? "free",
            Status = t.Disabled ? TenantStatus.Suspended : TenantStatus.Active,
            CreatedAt = t.CreatedAt,
            Config = t.Config ?? new TenantConfig(),
        }).ToList();
        for (var i = 0; i < tenants.Count; i += 1000)
        {
            await registry.UpsertManyAsync(tenants.GetRange(i, Math.Min(1000, tenants.Count - i)), cancellationToken).ConfigureAwait(false);
        }

        var request = new TenantTokenRequest { Name = "migrated" };
        foreach (var token in document.Tokens!)
        {
            var info = await registry.AddTokenHashAsync(token.TenantId!, token.TokenHash!, request, cancellationToken).ConfigureAwait(false);
            if (token.RevokedAt is not null)
            {
                await registry.RevokeTokenAsync(info.TenantId, info.TokenId, cancellationToken).ConfigureAwait(false);
            }
        }

        var migrated = path + MigratedSuffix;
        if (File.Exists(migrated))
        {
            migrated = $"{path}.{DateTime.UtcNow:yyyyMMddHHmmss}{MigratedSuffix}";
        }

        File.Move(path, migrated);
        TenantStoreLog.LegacyMigrated(logger, path, tenants.Count, document.Tokens!.Count, migrated);
        if (tenants.Any(t => !string.IsNullOrEmpty(t.Config.ApiKey)))
        {
            TenantStoreLog.LegacyFileHoldsKeys(logger, migrated);
        }
    }

    private static async Task<LegacyTenantStoreDocument> ReadAsync(string path, CancellationToken cancellationToken)
    {
        LegacyTenantStoreDocument? document;
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                document = await JsonSerializer.DeserializeAsync(stream, TenantStoreJsonContext.Default.LegacyTenantStoreDocument, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            throw new TenantStoreFileException(path, $"is not valid JSON (truncated or damaged?): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TenantStoreFileException(path, $"cannot be read: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new TenantStoreFileException(path, "holds null instead of a tenant store document");
        }

        if (document.Version > 1)
        {
            throw new TenantStoreFileException(path, $"has version {document.Version}; this build imports version 1 only");
        }

        document.Tenants ??= [];
        document.Tokens ??= [];
        if (document.Tenants.Any(t => t is null || !TenantIds.IsValid(t.TenantId)))
        {
            throw new TenantStoreFileException(path, "holds a tenant with an invalid id");
        }

        var ids = document.Tenants.Select(t => t.TenantId!).ToHashSet(StringComparer.Ordinal);
        if (ids.Count != document.Tenants.Count)
        {
            throw new TenantStoreFileException(path, "holds the same tenant twice");
        }

        if (document.Tokens.Any(t => t is null || !TenantTokens.IsHash(t.TokenHash) || t.TenantId is null || !ids.Contains(t.TenantId)))
        {
            throw new TenantStoreFileException(path, "holds a malformed token entry");
        }

        return document;
    }
}

/// <summary>The old file store's document (version 1), read only by the migration.</summary>
internal sealed class LegacyTenantStoreDocument
{
    public int Version { get; set; } = 1;
    public List<LegacyTenant>? Tenants { get; set; }
    public List<LegacyToken>? Tokens { get; set; }
}

internal sealed class LegacyTenant
{
    public string? TenantId { get; set; }
    public string? DisplayName { get; set; }
    public string? Plan { get; set; }
    public bool Disabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public TenantConfig? Config { get; set; }
}

internal sealed class LegacyToken
{
    public string? TokenHash { get; set; }
    public string? TenantId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
