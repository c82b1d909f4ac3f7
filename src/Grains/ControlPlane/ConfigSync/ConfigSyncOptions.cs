namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// The config sync against the operator's Cloud Backend. <see cref="CloudBackendUrl"/>,
/// <see cref="ServiceToken"/> and <see cref="SyncIntervalMs"/> bind from <c>multiTenant</c> (the
/// names of seed 000); the rest from <c>multiTenant:configSync</c>. Without a backend URL the
/// cluster runs standalone: the sync is disabled and makes no requests.
/// </summary>
public sealed class ConfigSyncOptions
{
    public const string SectionName = "multiTenant";
    public const string DetailSectionName = "multiTenant:configSync";

    public const long DefaultSyncIntervalMs = 60_000;
    public const int DefaultRequestTimeoutMs = 15_000;
    public const long DefaultMaxResponseBytes = 32L * 1024 * 1024;
    public const int DefaultPageSize = 500;
    public const int DefaultMaxPagesPerPass = 1_000;
    public const int DefaultApplyBatchSize = 500;
    public const long DefaultMaxBackoffMs = 15 * 60_000;
    public const int DefaultMaxConcurrentPushes = 16;

    /// <summary>Base URL of the Cloud Backend (<c>https://api.example.com</c>); null or empty: standalone.</summary>
    public string? CloudBackendUrl { get; set; }

    /// <summary>Sent as <c>Authorization: Bearer</c>; required when <see cref="CloudBackendUrl"/> is set.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>How often a pass runs (60 s).</summary>
    public long SyncIntervalMs { get; set; } = DefaultSyncIntervalMs;

    /// <summary>Deadline of one page request, headers and body together (15 s).</summary>
    public int RequestTimeoutMs { get; set; } = DefaultRequestTimeoutMs;

    /// <summary>A page body larger than this fails the pass (32 MiB).</summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>The <c>limit</c> asked of the backend (500; at most <see cref="BackendLimits.MaxUsersPerPage"/>).</summary>
    public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>Pages per pass at most; the rest continues at the next pass from the saved cursor.</summary>
    public int MaxPagesPerPass { get; set; } = DefaultMaxPagesPerPass;

    /// <summary>Tenants written to the registry per <c>UpsertManyAsync</c> transaction.</summary>
    public int ApplyBatchSize { get; set; } = DefaultApplyBatchSize;

    /// <summary>After failures the next pass waits interval × 2^(failures-1), at most this long (15 min).</summary>
    public long MaxBackoffMs { get; set; } = DefaultMaxBackoffMs;

    /// <summary>Change notices sent to active tenants at the same time.</summary>
    public int MaxConcurrentPushes { get; set; } = DefaultMaxConcurrentPushes;

    /// <summary>Plain <c>http</c> to a non-loopback backend sends the service token in clear; refused unless set.</summary>
    public bool AllowInsecureHttp { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CloudBackendUrl);

    public TimeSpan SyncInterval => TimeSpan.FromMilliseconds(SyncIntervalMs);

    /// <summary>How long to wait after <paramref name="consecutiveFailures"/> failed passes before the next one.</summary>
    public TimeSpan BackoffAfter(int consecutiveFailures)
    {
        if (consecutiveFailures <= 0) return SyncInterval;
        var factor = Math.Pow(2, Math.Min(consecutiveFailures - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(SyncIntervalMs * factor, Math.Max(MaxBackoffMs, SyncIntervalMs)));
    }
}
