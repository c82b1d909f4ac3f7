namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// The tenant registry: every tenant of the cluster, its config and its gateway tokens. One
/// contract, two stores (SQLite for the embedded default, PostgreSQL for a cluster), both tested
/// against the same contract tests. Creating, updating or looking up one tenant costs the same with
/// 10 tenants or 100,000 (indexed rows, never a whole-registry rewrite).
/// <para>
/// Tokens are stored only as hashes; the plaintext exists once, in <see cref="IssuedTenantToken"/>.
/// API keys in <see cref="TenantConfig.ApiKey"/> are encrypted at rest by the store (see
/// <c>ITenantSecretProtector</c>); records handed out carry the protected form, which only the
/// provider call site unprotects.
/// </para>
/// </summary>
public interface ITenantRegistry : ITenantTokenResolver
{
    Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>One page in tenant-id order, after <see cref="TenantQuery.After"/>, filtered by status and plan.</summary>
    Task<TenantPage> ListAsync(TenantQuery query, CancellationToken cancellationToken);

    /// <summary>How many tenants have <paramref name="status"/> (all statuses but Deleted when null).</summary>
    Task<long> CountAsync(TenantStatus? status, CancellationToken cancellationToken);

    /// <summary>Creates a tenant; throws <see cref="TenantAlreadyExistsException"/> when the id is taken (Deleted ones included, until purged).</summary>
    Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a tenant's record (seeding, config sync); its tokens are untouched. Returns the stored record.</summary>
    Task<TenantRecord> UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or replaces many tenants in one transaction (config sync, bulk seeding); tokens are
    /// untouched. Returns how many rows were written. Costs one round trip per batch, not per tenant.
    /// </summary>
    Task<int> UpsertManyAsync(IReadOnlyList<TenantRecord> tenants, CancellationToken cancellationToken);

    /// <summary>Sets the status (suspend, resume, soft delete); false when the tenant does not exist.</summary>
    Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken);

    /// <summary>Removes the tenant's row and all its tokens for good (after its data was purged). False when absent.</summary>
    Task<bool> PurgeAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Issues a new random token; its plaintext is in the result and nowhere else.</summary>
    Task<IssuedTenantToken> IssueTokenAsync(string tenantId, TenantTokenRequest request, CancellationToken cancellationToken);

    /// <summary>Registers a caller-chosen token (demo, configured or backend-provisioned); idempotent for the same plaintext.</summary>
    Task<TenantTokenInfo> AddTokenAsync(string tenantId, string plaintextToken, TenantTokenRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Registers a token known only by its hash (<c>TenantTokens.Hash</c>: lowercase hex SHA-256 of the
    /// UTF-8 plaintext), as the Cloud Backend provisions them; idempotent for the same hash.
    /// </summary>
    Task<TenantTokenInfo> AddTokenHashAsync(string tenantId, string tokenHash, TenantTokenRequest request, CancellationToken cancellationToken);

    /// <summary>The tenant's tokens (never their plaintext or hash), revoked ones included.</summary>
    Task<IReadOnlyList<TenantTokenInfo>> ListTokensAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Issues a replacement for <paramref name="tokenId"/> (same name) and sets the old token's expiry
    /// to now + <paramref name="overlap"/> (keeping an earlier expiry): both work until then.
    /// </summary>
    Task<IssuedTenantToken> RotateTokenAsync(string tenantId, string tokenId, TimeSpan overlap, CancellationToken cancellationToken);

    /// <summary>Revokes one token now; false when the tenant has no such active token.</summary>
    Task<bool> RevokeTokenAsync(string tenantId, string tokenId, CancellationToken cancellationToken);

    /// <summary>Revokes every active token of the tenant; returns how many.</summary>
    Task<int> RevokeAllTokensAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>Where a tenant stands. Only <see cref="Active"/> tenants authenticate.</summary>
public enum TenantStatus
{
    Active = 0,
    Suspended = 1,
    Deleted = 2,
}

/// <summary>A page request: at most <see cref="Limit"/> tenants with ids after <see cref="After"/> (keyset paging).</summary>
public sealed record TenantQuery
{
    public const int MaxLimit = 1000;

    public string? After { get; init; }
    public int Limit { get; init; } = 100;

    /// <summary>Only tenants with this status; null: every status but <see cref="TenantStatus.Deleted"/> (as <see cref="ITenantRegistry.CountAsync"/>).</summary>
    public TenantStatus? Status { get; init; }
    public string? Plan { get; init; }
}

/// <summary>A page of tenants; <see cref="NextAfter"/> is the cursor for the next page, null on the last.</summary>
public sealed record TenantPage(IReadOnlyList<TenantRecord> Tenants, string? NextAfter);

/// <summary>What a new token should be: a name for operators and an optional expiry.</summary>
public sealed record TenantTokenRequest
{
    public string Name { get; init; } = "default";
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A token as operators see it: never its plaintext or hash.</summary>
public sealed record TenantTokenInfo
{
    /// <summary>Stable, non-secret id (e.g. <c>tok_</c> + a short prefix of the hash).</summary>
    public required string TokenId { get; init; }
    public required string TenantId { get; init; }
    public string Name { get; init; } = "default";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Coarse: updated at most every few minutes per token.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A token just issued: the only place its plaintext ever appears.</summary>
public sealed record IssuedTenantToken(TenantTokenInfo Token, string Plaintext);

public sealed class TenantAlreadyExistsException(string tenantId)
    : InvalidOperationException($"Tenant '{tenantId}' already exists.")
{
    public string TenantId { get; } = tenantId;
}

public sealed class TenantNotFoundException(string tenantId)
    : InvalidOperationException($"Tenant '{tenantId}' does not exist.")
{
    public string TenantId { get; } = tenantId;
}
