using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>The config a tenant's runs use: its tenant record's config with its own overrides applied.</summary>
internal sealed record EffectiveTenantConfig(
    string Provider,
    string Model,
    string? ApiKey,
    string? BaseUrl,
    string AgentName,
    string? SystemPrompt)
{
    public static EffectiveTenantConfig From(TenantConfig config, TenantConfigOverrides overrides) => new(
        (overrides.Provider ?? config.Provider).Trim().ToLowerInvariant(),
        overrides.Model ?? config.Model,
        overrides.ApiKey ?? config.ApiKey,
        overrides.BaseUrl ?? config.BaseUrl,
        overrides.AgentName ?? config.AgentName,
        overrides.SystemPrompt ?? config.SystemPrompt);

    /// <summary><c>provider/model</c>, as OpenClaw names a model.</summary>
    public string QualifiedModel => $"{Provider}/{Model}";

    /// <summary>Never prints the key.</summary>
    public override string ToString() =>
        $"EffectiveTenantConfig {{ Provider = {Provider}, Model = {Model}, BaseUrl = {BaseUrl ?? "(default)"}, ApiKey = {(ApiKey is null ? "(none)" : "***")} }}";
}
