using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>One user of a validated page, in the registry's terms.</summary>
public sealed record SyncedTenant(TenantRecord Record, TenantStatus Status, IReadOnlyList<SyncedToken> Tokens);

/// <summary>A backend token: the SHA-256 the registry stores, its name and expiry, and whether the backend revoked it.</summary>
public sealed record SyncedToken(string Hash, string Name, DateTimeOffset? ExpiresAt, bool Revoked);

/// <summary>A page that passed <see cref="BackendPageValidator"/>: safe to apply as a whole.</summary>
public sealed record ValidatedPage(IReadOnlyList<SyncedTenant> Tenants, string? NextCursor, bool HasMore);
