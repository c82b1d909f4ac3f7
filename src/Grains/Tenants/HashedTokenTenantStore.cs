using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// What every tenant store shares: tokens are validated, hashed and only then handed to the
/// store, so no store ever sees (or could persist) a plaintext token.
/// </summary>
public abstract class HashedTokenTenantStore : ITenantStore
{
    public abstract Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<TenantRecord>> ListAsync(CancellationToken cancellationToken);

    public abstract Task UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken);

    public Task<int> RevokeTokensAsync(string tenantId, string? plaintextToken, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        return RevokeTokenHashesAsync(tenantId, plaintextToken is null ? null : TenantTokens.Hash(plaintextToken), cancellationToken);
    }

    /// <summary>Revokes the tenant's active token with <paramref name="hash"/>, or all of them when null; returns how many.</summary>
    protected abstract Task<int> RevokeTokenHashesAsync(string tenantId, string? hash, CancellationToken cancellationToken);

    public Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(plaintextToken) || plaintextToken.Length > TenantTokens.MaxLength)
        {
            return Task.FromResult<string?>(null);
        }

        return FindTenantByTokenHashAsync(TenantTokens.Hash(plaintextToken), cancellationToken);
    }

    /// <summary>The enabled tenant holding an active token with this hash, or null.</summary>
    protected abstract Task<string?> FindTenantByTokenHashAsync(string hash, CancellationToken cancellationToken);

    public async Task<string> IssueTokenAsync(string tenantId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        var token = TenantTokens.Issue();
        await AddTokenHashAsync(tenantId, TenantTokens.Hash(token), cancellationToken).ConfigureAwait(false);
        return token;
    }

    public Task AddTokenAsync(string tenantId, string plaintextToken, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        TenantTokens.ValidateForRegistration(plaintextToken, nameof(plaintextToken));
        return AddTokenHashAsync(tenantId, TenantTokens.Hash(plaintextToken), cancellationToken);
    }

    /// <summary>Stores <paramref name="hash"/> for an existing tenant (idempotent; re-activates a revoked token).</summary>
    protected abstract Task AddTokenHashAsync(string tenantId, string hash, CancellationToken cancellationToken);
}
