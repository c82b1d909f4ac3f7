namespace OpenClaw.Operations.Admin;

/// <summary>
/// The service token operators and the Cloud Backend present to the admin API
/// (<c>multiTenant:serviceToken</c>, also <c>OPENCLAW_SERVICE_TOKEN</c>). Without one the admin API is
/// disabled: every admin route answers 401.
/// </summary>
public sealed class ServiceTokenOptions
{
    public const string SectionName = "multiTenant";

    public string? ServiceToken { get; set; }
}
