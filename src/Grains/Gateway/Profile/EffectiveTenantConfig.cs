using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The config a tenant's runs use: its tenant record's config with its own overrides applied.
/// <para>
/// Key binding: the key of the tenant record (provisioned by the operator) is bound to the
/// provider and base URL it was provisioned with. Once the tenant's overrides point the provider
/// or the base URL anywhere else, that key is withheld (<see cref="ProvisionedKeyWithheld"/>) and
/// only a key the tenant set itself is used; going back to the provisioned endpoint brings the
/// provisioned key back. So a tenant can never send the operator's key to a URL of its choosing.
/// </para>
/// </summary>
internal sealed record EffectiveTenantConfig(
    string Provider,
    string Model,
    string? ApiKey,
    string? BaseUrl,
    string AgentName,
    string? SystemPrompt)
{
    /// <summary>What a run tells the tenant when the provisioned key was withheld and it set none of its own.</summary>
    public const string WithheldKeyReason =
        "the provisioned API key is only sent to the provider and base URL it was provisioned for; set your own apiKey when you change provider or baseUrl.";

    /// <summary>True when the tenant record has a key that is not used because the tenant moved the endpoint away from it.</summary>
    public bool ProvisionedKeyWithheld { get; private init; }

    /// <summary>The tenant's IANA time zone for dates in the prompt (null: UTC).</summary>
    public string? UserTimezone { get; private init; }

    /// <summary>The tenant's own tool policy (<c>tools.profile/allow/deny</c>), within its plan's; null when it set none.</summary>
    public ToolsConfig? Tools { get; private init; }
    /// <summary><c>tools.exec.ask</c>: when <c>exec</c> asks an approver first (<see cref="ExecToolsConfig"/>).</summary>
    public string ExecAsk { get; private init; } = ExecToolsConfig.AskOff;

    /// <summary><c>tools.exec.node</c>: the node <c>exec</c> runs on, if the tenant named one.</summary>
    public string? ExecNode { get; private init; }

    public static EffectiveTenantConfig From(TenantConfig config, TenantConfigOverrides overrides)
    {
        var provider = NormalizeProvider(overrides.Provider ?? config.Provider);
        var baseUrl = overrides.BaseUrl ?? config.BaseUrl;
        var atProvisionedEndpoint = provider == NormalizeProvider(config.Provider) && SameBaseUrl(baseUrl, config.BaseUrl);
        var provisionedKey = atProvisionedEndpoint ? config.ApiKey : null;
        return new EffectiveTenantConfig(
            provider,
            overrides.Model ?? config.Model,
            overrides.ApiKey ?? provisionedKey,
            baseUrl,
            overrides.AgentName ?? config.AgentName,
            overrides.SystemPrompt ?? config.SystemPrompt)
        {
            ProvisionedKeyWithheld = overrides.ApiKey is null && !atProvisionedEndpoint && config.ApiKey is not null,
            UserTimezone = overrides.UserTimezone,
            Tools = overrides.Tools,
            ExecAsk = overrides.ExecAsk ?? ExecToolsConfig.AskOff,
            ExecNode = overrides.ExecNode,
        };
    }

    /// <summary><c>provider/model</c>, as OpenClaw names a model.</summary>
    public string QualifiedModel => $"{Provider}/{Model}";

    /// <summary>Where the tenant's runs go, with the reason when a withheld key leaves them without one.</summary>
    public LlmEndpoint ToEndpoint() => new(Provider, BaseUrl, ApiKey)
    {
        MissingKeyReason = ProvisionedKeyWithheld ? WithheldKeyReason : null,
    };

    /// <summary>Never prints the key.</summary>
    public override string ToString() =>
        $"EffectiveTenantConfig {{ Provider = {Provider}, Model = {Model}, BaseUrl = {BaseUrl ?? "(default)"}, ApiKey = {(ApiKey is null ? "(none)" : "***")} }}";

    private static string NormalizeProvider(string provider) => provider.Trim().ToLowerInvariant();

    /// <summary>
    /// The same request URL: equal after the trimming the providers apply (whitespace, trailing
    /// slashes). Deliberately strict: any other difference counts as another endpoint.
    /// </summary>
    private static bool SameBaseUrl(string? a, string? b) =>
        string.Equals(NormalizeUrl(a), NormalizeUrl(b), StringComparison.Ordinal);

    private static string? NormalizeUrl(string? url) => string.IsNullOrWhiteSpace(url) ? null : url.Trim().TrimEnd('/');
}
