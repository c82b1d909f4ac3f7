namespace OpenClaw.Operations.Admin;

/// <summary>
/// The tenant archive (a zip), format <see cref="CurrentFormat"/>:
/// <list type="bullet">
/// <item><c>manifest.json</c>: format, kind, tenant id, export time, counts, and how the API key was handled (<c>excluded</c>);</item>
/// <item><c>tenant.json</c>: id, display name, plan, status, creation time, config without the API key;</item>
/// <item><c>tokens.json</c>: the tokens' metadata (names, times), never plaintext or hashes: tokens are not restored;</item>
/// <item><c>state/&lt;record&gt;.json</c>: each of the tenant's state records as stored (sessions index, session heads, transcript chunks, pending runs, profile);</item>
/// <item><c>workspace/&lt;path&gt;</c>: each workspace overlay file, byte for byte.</item>
/// </list>
/// </summary>
internal static class TenantArchiveFormat
{
    public const int CurrentFormat = 1;
    public const string Kind = "openclaw-tenant-archive";
    public const string ManifestEntry = "manifest.json";
    public const string TenantEntry = "tenant.json";
    public const string TokensEntry = "tokens.json";
    public const string StatePrefix = "state/";
    public const string StateSuffix = ".json";
    public const string WorkspacePrefix = "workspace/";
    public const string ApiKeyExcluded = "excluded";
    public const int MaxEntryNameLength = 1100;
}

/// <summary><c>manifest.json</c>.</summary>
public sealed record TenantArchiveManifest
{
    public int Format { get; init; }
    public string Kind { get; init; } = "";
    public string TenantId { get; init; } = "";
    public DateTimeOffset ExportedAt { get; init; }

    /// <summary>How the LLM API key was handled: <c>excluded</c> (set it again after an import).</summary>
    public string ApiKey { get; init; } = "";
    public int StateRecords { get; init; }
    public int WorkspaceFiles { get; init; }
    public int Tokens { get; init; }
}

/// <summary><c>tenant.json</c>: the registry's view of the tenant, without the API key.</summary>
public sealed record ArchivedTenant
{
    public string? Id { get; init; }
    public string? DisplayName { get; init; }
    public string? Plan { get; init; }
    public string? Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public TenantConfigInput? Config { get; init; }
}
