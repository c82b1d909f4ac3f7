namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// Registered tenants, their configs and their gateway tokens. Tokens are stored hashed; the
/// plaintext exists only when issued. Embedded (files) by default, PostgreSQL in a cluster.
/// </summary>
public interface ITenantStore : ITenantTokenResolver
{
    Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken);

    Task<IReadOnlyList<TenantRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces a tenant's record (its tokens are untouched).</summary>
    Task UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken);

    /// <summary>Issues a new random token for the tenant and returns its plaintext (shown once).</summary>
    Task<string> IssueTokenAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Registers a caller-chosen token (a fixed demo or provisioning token).</summary>
    Task AddTokenAsync(string tenantId, string plaintextToken, CancellationToken cancellationToken);

    /// <summary>Revokes every token of the tenant that hashes like <paramref name="plaintextToken"/>, or all of them when null.</summary>
    Task<int> RevokeTokensAsync(string tenantId, string? plaintextToken, CancellationToken cancellationToken);

}

/// <summary>
/// The one thing the edge needs from the tenant registry: which tenant a token belongs to. The
/// edge depends on nothing else of the store (it never reads configs or keys, never writes).
/// </summary>
public interface ITenantTokenResolver
{
    /// <summary>The tenant a token belongs to, or null (unknown, revoked, or tenant disabled).</summary>
    Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken);
}

/// <summary>A tenant and its assistant configuration.</summary>
public sealed record TenantRecord
{
    public required string TenantId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Plan { get; init; } = "free";
    public bool Disabled { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public TenantConfig Config { get; init; } = new();
}

/// <summary>
/// What the tenant's assistant runs on. <see cref="Provider"/> is <c>echo</c> (development),
/// <c>openai</c> (any OpenAI-compatible chat completions endpoint) or <c>anthropic</c>.
/// </summary>
public sealed record TenantConfig
{
    public string Provider { get; init; } = "echo";
    public string Model { get; init; } = "echo-1";
    public string? ApiKey { get; init; }
    public string? BaseUrl { get; init; }
    public string AgentName { get; init; } = "OpenClaw";
    public string? SystemPrompt { get; init; }
}
