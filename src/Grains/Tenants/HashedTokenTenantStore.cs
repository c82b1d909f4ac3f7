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

    public abstract Task<int> RevokeTokensAsync(string tenantId, string? plaintextToken, CancellationToken cancellationToken);

    public abstract Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken);

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
