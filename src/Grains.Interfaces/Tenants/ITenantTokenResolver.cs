namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// The one thing the edge needs from the tenant registry: which tenant a token belongs to. The
/// edge depends on nothing else of the registry (it never reads configs or keys, never writes).
/// </summary>
public interface ITenantTokenResolver
{
    /// <summary>The tenant a token belongs to, or null (unknown, revoked, expired, or tenant not active).</summary>
    Task<string?> FindTenantByTokenAsync(string plaintextToken, CancellationToken cancellationToken);
}
