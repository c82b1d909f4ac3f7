namespace OpenClaw.Operations.Dashboard;

/// <summary>The dashboard's settings (section <c>dashboard</c>); every figure is bounded.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "dashboard";

    public const int DefaultSampleIntervalMs = 2000;
    public const int DefaultSampleCapacity = 180;
    public const int DefaultTopTenants = 20;
    public const int DefaultRecentTenantCapacity = 1000;
    public const int DefaultSessionMinutes = 480;
    public const int DefaultAlertHistoryLimit = 50;
    public const int DefaultSourceTimeoutMs = 5000;

    /// <summary>How often the cluster figures are read into the chart's ring of samples.</summary>
    public int SampleIntervalMs { get; set; } = DefaultSampleIntervalMs;

    /// <summary>Samples kept (at the default interval, six minutes of history).</summary>
    public int SampleCapacity { get; set; } = DefaultSampleCapacity;

    /// <summary>Tenants listed in "top tenants by activity".</summary>
    public int TopTenants { get; set; } = DefaultTopTenants;

    /// <summary>Recently called tenants remembered per process, to rank the top list (a bounded table, not one entry per tenant).</summary>
    public int RecentTenantCapacity { get; set; } = DefaultRecentTenantCapacity;

    /// <summary>Lifetime of an operator's login session.</summary>
    public int SessionMinutes { get; set; } = DefaultSessionMinutes;

    /// <summary>Past alerts shown.</summary>
    public int AlertHistoryLimit { get; set; } = DefaultAlertHistoryLimit;

    /// <summary>How long the dashboard waits for one data source (stats, monitor, sync, registry, a tenant grain).</summary>
    public int SourceTimeoutMs { get; set; } = DefaultSourceTimeoutMs;

    internal IEnumerable<string> Validate()
    {
        if (SampleIntervalMs is < 250 or > 60_000) yield return "dashboard:sampleIntervalMs must be between 250 and 60000.";
        if (SampleCapacity is < 2 or > 10_000) yield return "dashboard:sampleCapacity must be between 2 and 10000.";
        if (TopTenants is < 1 or > 500) yield return "dashboard:topTenants must be between 1 and 500.";
        if (RecentTenantCapacity < TopTenants || RecentTenantCapacity > 100_000) yield return "dashboard:recentTenantCapacity must be between topTenants and 100000.";
        if (SessionMinutes is < 1 or > 7 * 24 * 60) yield return "dashboard:sessionMinutes must be between 1 and 10080.";
        if (AlertHistoryLimit is < 1 or > 1000) yield return "dashboard:alertHistoryLimit must be between 1 and 1000.";
        if (SourceTimeoutMs is < 100 or > 60_000) yield return "dashboard:sourceTimeoutMs must be between 100 and 60000.";
    }
}
