namespace OpenClaw.Grains.Interfaces;

/// <summary>A tenant and its assistant configuration.</summary>
public sealed record TenantRecord
{
    public required string TenantId { get; init; }
    public string DisplayName { get; init; } = "";
    public string Plan { get; init; } = "free";

    /// <summary>Only <see cref="TenantStatus.Active"/> tenants authenticate and run.</summary>
    public TenantStatus Status { get; init; } = TenantStatus.Active;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the registry last wrote the record (set by the registry; ignored on input).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    public TenantConfig Config { get; init; } = new();
}

/// <summary>
/// What the tenant's assistant runs on. <see cref="Provider"/> is <c>echo</c> (development),
/// <c>openai</c> (any OpenAI-compatible chat completions endpoint) or <c>anthropic</c>.
/// </summary>
public sealed record TenantConfig
{
    public string Provider { get; init; } = "echo";
    public string Model { get; init; } = "echo-1";

    /// <summary>
    /// The provider's API key. Registries store it only in protected form (<c>dp1:</c>…) and hand
    /// out records with that form; only the provider call site unprotects it.
    /// </summary>
    public string? ApiKey { get; init; }
    public string? BaseUrl { get; init; }
    public string AgentName { get; init; } = "OpenClaw";
    public string? SystemPrompt { get; init; }
}
