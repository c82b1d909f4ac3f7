namespace OpenClaw.Silo.Configuration;

/// <summary>
/// The <c>multiTenant</c> section, with the names and defaults of the original requirements
/// (seed 000). Read from the file named by <c>OPENCLAW_GLOBAL_CONFIG</c>, appsettings,
/// environment (<c>multiTenant__maxCachedUsers</c>) and the command line.
/// </summary>
public sealed class MultiTenantOptions
{
    public const string SectionName = "multiTenant";

    public string? CloudBackendUrl { get; set; }

    /// <summary>Service token for the Cloud Backend; also read from <c>OPENCLAW_SERVICE_TOKEN</c>.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>Per-tenant workspace overlays; default <c>&lt;data directory&gt;/workspaces</c>.</summary>
    public string? WorkspaceRoot { get; set; }

    public string? ConfigRoot { get; set; }

    /// <summary>Shared read-only workspace template; default the <c>template</c> folder shipped with the silo.</summary>
    public string? TemplatePath { get; set; }

    /// <summary>Live tenant activations per silo before least recently used idle ones are evicted.</summary>
    public int MaxCachedUsers { get; set; } = 1000;

    /// <summary>A tenant idle this long is deactivated (30 minutes).</summary>
    public long UserIdleTimeoutMs { get; set; } = 1_800_000;

    public long SyncIntervalMs { get; set; } = 60_000;
}
