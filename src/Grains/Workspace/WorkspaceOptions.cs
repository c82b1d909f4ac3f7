namespace OpenClaw.Grains.Workspace;

/// <summary>Where tenant workspaces live (<c>multiTenant.workspaceRoot</c>, <c>multiTenant.templatePath</c>).</summary>
public sealed class WorkspaceOptions
{
    public const long DefaultMaxFileBytes = 1024 * 1024;

    /// <summary>The largest <see cref="MaxFileBytes"/> accepted (files are read into memory whole).</summary>
    public const long MaxAllowedFileBytes = 1024 * 1024 * 1024;

    /// <summary>The directory that holds one sub-directory (overlay) per tenant.</summary>
    public string WorkspaceRoot { get; set; } = "";

    /// <summary>The shared read-only template every tenant's reads fall through to; none when null or empty.</summary>
    public string? TemplatePath { get; set; }

    /// <summary>The largest file a tenant may read or write through the workspace.</summary>
    public long MaxFileBytes { get; set; } = DefaultMaxFileBytes;

    /// <summary>Bytes one tenant's overlay may hold (the template does not count).</summary>
    public long MaxWorkspaceBytes { get; set; } = WorkspaceQuota.DefaultMaxBytes;

    /// <summary>Files one tenant's overlay may hold (deletion markers of template files count as files).</summary>
    public int MaxWorkspaceFiles { get; set; } = WorkspaceQuota.DefaultMaxFiles;
}
