namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A tool policy as config holds it (<c>tools: {profile, allow, deny}</c>, AGENT.md §2): the tenant's
/// own in <see cref="TenantConfigOverrides"/>, the operator's per plan in options. Null members are unset.
/// </summary>
public sealed class ToolsConfig
{
    /// <summary><c>minimal</c>, <c>coding</c>, <c>messaging</c> or <c>full</c>; null: every core tool.</summary>
    public string? Profile { get; set; }

    /// <summary>Only these tools (names, <c>*</c> wildcards, <c>group:…</c>); null: no allow list.</summary>
    public List<string>? Allow { get; set; }

    /// <summary>Never these tools (deny wins over allow).</summary>
    public List<string>? Deny { get; set; }
}
