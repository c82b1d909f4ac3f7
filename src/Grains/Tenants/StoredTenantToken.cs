namespace OpenClaw.Grains.Tenants;

/// <summary>A token as stored: its SHA-256 hash (hex), its tenant, when it was added and when revoked.</summary>
internal sealed record StoredTenantToken(string TokenHash, string TenantId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}
