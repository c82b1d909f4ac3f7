namespace OpenClaw.Silo.Configuration;

/// <summary>
/// A tenant declared in configuration (<c>tenants</c> array), created or updated at startup:
/// the simple way to provision tenants until the admin API exists.
/// </summary>
public sealed class ConfiguredTenant
{
    public string Id { get; set; } = "";
    public string? DisplayName { get; set; }
    public string? Token { get; set; }
    public string Provider { get; set; } = "echo";
    public string Model { get; set; } = "echo-1";
    public string? ApiKey { get; set; }
    public string? BaseUrl { get; set; }
    public string? AgentName { get; set; }
}
