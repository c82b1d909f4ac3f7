using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>The file <see cref="FileTenantStore"/> keeps: every tenant and every token hash.</summary>
internal sealed class TenantStoreDocument
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public List<TenantRecord> Tenants { get; set; } = [];

    public List<StoredTenantToken> Tokens { get; set; } = [];
}
