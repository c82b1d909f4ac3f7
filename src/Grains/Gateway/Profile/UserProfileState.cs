namespace OpenClaw.Grains.Gateway;

/// <summary>The UserGrain's <c>profile</c> state: config overrides and the usage record.</summary>
public sealed class UserProfileState
{
    public TenantConfigOverrides Config { get; set; } = new();

    /// <summary>Bumped whenever the API key changes, so that the config hash changes without hashing the key.</summary>
    public int SecretsRevision { get; set; }

    public TenantUsageRecord Usage { get; set; } = new();

    /// <summary>Exec approvals' allowlist and policy documents (null until first used).</summary>
    public ExecApprovalsState? ExecApprovals { get; set; }
}
