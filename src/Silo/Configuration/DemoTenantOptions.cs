namespace OpenClaw.Silo.Configuration;

/// <summary>
/// The demo tenant created on first start of the zero-setup default (<c>demo</c> section).
/// A fixed token (<c>--demo-token</c> or <c>OPENCLAW_DEMO_TOKEN</c>) lets scripts connect
/// without parsing the silo's output; otherwise one is generated once and kept in the data directory.
/// </summary>
public sealed class DemoTenantOptions
{
    public const string SectionName = "demo";

    public bool Enabled { get; set; } = true;
    public string TenantId { get; set; } = "demo";
    public string? Token { get; set; }
}
