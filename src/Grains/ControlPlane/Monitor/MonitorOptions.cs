namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// The cluster monitor (configuration section <c>monitor</c>): how often it evaluates, how much
/// history it keeps, its rules (<c>monitor:rules:…</c>) and its webhooks (<c>monitor:webhooks</c>).
/// </summary>
public sealed class MonitorOptions
{
    public const string SectionName = "monitor";

    public const long DefaultIntervalMs = 30_000;
    public const int DefaultHistoryLimit = 1_000;
    public const int MaxHistoryLimit = 10_000;
    public const int DefaultReadTimeoutMs = 10_000;

    /// <summary>False: no evaluations, no alerts (the admin routes still answer, with nothing).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the rules are evaluated (30 s); also the window of the rate rules.</summary>
    public long IntervalMs { get; set; } = DefaultIntervalMs;

    /// <summary>How many alerts the history keeps (1,000; the oldest go first).</summary>
    public int HistoryLimit { get; set; } = DefaultHistoryLimit;

    /// <summary>Deadline for gathering the cluster's figures and the sync status in one evaluation (10 s).</summary>
    public int ReadTimeoutMs { get; set; } = DefaultReadTimeoutMs;

    public MonitorRulesOptions Rules { get; set; } = new();

    /// <summary>Where alerts are POSTed, besides the log.</summary>
    public List<AlertWebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Queueing and retries of webhook deliveries.</summary>
    public WebhookDeliveryOptions Delivery { get; set; } = new();

    public TimeSpan Interval => TimeSpan.FromMilliseconds(IntervalMs);

    public TimeSpan ReadTimeout => TimeSpan.FromMilliseconds(ReadTimeoutMs);
}

/// <summary>The rules, each with its threshold and hysteresis (<c>monitor:rules:&lt;rule&gt;:…</c>).</summary>
public sealed class MonitorRulesOptions
{
    public MemoryRuleOptions Memory { get; set; } = new();
    public ActiveRatioRuleOptions ActiveRatio { get; set; } = new();
    public ConfigSyncRuleOptions ConfigSync { get; set; } = new();
    public ErrorRateRuleOptions ErrorRate { get; set; } = new();
    public ProviderFailuresRuleOptions ProviderFailures { get; set; } = new();
    public SiloUnreachableRuleOptions SiloUnreachable { get; set; } = new();

    internal IEnumerable<(string Path, AlertRuleOptions Options)> All()
    {
        yield return ("memory", Memory);
        yield return ("activeRatio", ActiveRatio);
        yield return ("configSync", ConfigSync);
        yield return ("errorRate", ErrorRate);
        yield return ("providerFailures", ProviderFailures);
        yield return ("siloUnreachable", SiloUnreachable);
    }
}
