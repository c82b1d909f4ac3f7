using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Admin;

/// <summary>A tenant as the admin API shows it: never its API key, only whether one is set.</summary>
public sealed record TenantView
{
    public required string Id { get; init; }
    public string DisplayName { get; init; } = "";
    public string Plan { get; init; } = "";

    /// <summary><c>active</c>, <c>suspended</c> or <c>deleted</c>.</summary>
    public string Status { get; init; } = "active";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public required TenantConfigView Config { get; init; }

    public static TenantView From(TenantRecord record) => new()
    {
        Id = record.TenantId,
        DisplayName = record.DisplayName,
        Plan = record.Plan,
        Status = TenantStatusNames.Of(TenantRecordFields.StatusOf(record)),
        CreatedAt = record.CreatedAt,
        UpdatedAt = TenantRecordFields.UpdatedAtOf(record),
        Config = TenantConfigView.From(record.Config),
    };
}

public sealed record TenantConfigView
{
    public string Provider { get; init; } = "";
    public string Model { get; init; } = "";
    public bool ApiKeySet { get; init; }
    public string? BaseUrl { get; init; }
    public string AgentName { get; init; } = "";
    public string? SystemPrompt { get; init; }

    public static TenantConfigView From(TenantConfig config) => new()
    {
        Provider = config.Provider,
        Model = config.Model,
        ApiKeySet = !string.IsNullOrEmpty(config.ApiKey),
        BaseUrl = config.BaseUrl,
        AgentName = config.AgentName,
        SystemPrompt = config.SystemPrompt,
    };
}

/// <summary>The body of <c>POST /admin/v1/tenants</c>.</summary>
public sealed record CreateTenantRequest
{
    public string? Id { get; init; }
    public string? DisplayName { get; init; }
    public string? Plan { get; init; }
    public TenantConfigInput? Config { get; init; }

    /// <summary>When present, a first token is issued and its plaintext returned once.</summary>
    public TokenRequestBody? Token { get; init; }
}

/// <summary>A tenant's config as written by an operator (<c>apiKey</c> is write-only).</summary>
public sealed record TenantConfigInput
{
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public string? ApiKey { get; init; }
    public string? BaseUrl { get; init; }
    public string? AgentName { get; init; }
    public string? SystemPrompt { get; init; }
}

/// <summary>The answer to a create: the tenant and, when asked for, its first token (plaintext shown this once).</summary>
public sealed record CreatedTenantResponse(TenantView Tenant, IssuedTokenView? Token);

/// <summary>One page of <c>GET /admin/v1/tenants</c>; pass <c>nextAfter</c> as <c>after</c> for the next (null on the last page).</summary>
public sealed record TenantListResponse(
    IReadOnlyList<TenantView> Tenants,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? NextAfter);

/// <summary>The body of <c>PUT /admin/v1/tenants/{id}/plan</c>.</summary>
public sealed record SetPlanRequest
{
    public string? Plan { get; init; }
}

/// <summary>What <c>DELETE /admin/v1/tenants/{id}</c> removed.</summary>
public sealed record TenantPurgeResponse(string Id, int StateRecordsCleared, int WorkspaceFilesDeleted, int TokensRemoved);

/// <summary>What <c>POST /admin/v1/tenants/import</c> restored. Tokens are never in an archive: issue new ones.</summary>
public sealed record TenantImportResponse(TenantView Tenant, string Mode, int StateRecords, int WorkspaceFiles, int TokensInArchive);

internal static class TenantStatusNames
{
    public static string Of(TenantStatus status) => status switch
    {
        TenantStatus.Active => "active",
        TenantStatus.Suspended => "suspended",
        TenantStatus.Deleted => "deleted",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out TenantStatus status)
    {
        status = default;
        switch (text?.ToLowerInvariant())
        {
            case "active": status = TenantStatus.Active; return true;
            case "suspended": status = TenantStatus.Suspended; return true;
            case "deleted": status = TenantStatus.Deleted; return true;
            default: return false;
        }
    }
}
