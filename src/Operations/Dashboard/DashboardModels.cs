using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Dashboard;

/// <summary>Whether a data source answered; <see cref="Reason"/> says why not (shown as "… : not available").</summary>
public sealed record SourceState(bool Available, string? Reason = null)
{
    public static readonly SourceState Ok = new(true);

    public static SourceState NotAvailable(string reason) => new(false, reason);
}

/// <summary>One point of the charts: cluster-wide rates between two reads of the stats.</summary>
public sealed record DashboardSample(
    DateTimeOffset At,
    double CallsPerSecond,
    double FailuresPerSecond,
    double LatencyP50Ms,
    double LatencyP99Ms,
    long Activations);

public sealed record SiloView(
    string Silo,
    string Status,
    string HostName,
    DateTimeOffset StartedAt,
    double CpuPercent,
    long WorkingSetBytes,
    long ManagedHeapBytes,
    int Activations,
    int MaxActivations,
    double CallsPerSecond,
    double LatencyP50Ms,
    double LatencyP99Ms,
    int EdgeConnections);

public sealed record GrainTypeView(string Type, int Activations, double CallsPerSecond);

/// <summary>Registered tenants by status (null when the stats source has no registry to count from) and tenants active in memory.</summary>
public sealed record TenantCounts(long? Registered, long? Suspended, long ActiveInMemory);

public sealed record OverviewView(
    DateTimeOffset At,
    SourceState Stats,
    IReadOnlyList<SiloView> Silos,
    IReadOnlyList<string> Unreachable,
    TenantCounts? Tenants,
    IReadOnlyList<DashboardSample> Series,
    IReadOnlyList<GrainTypeView> GrainTypes);

public sealed record TopTenantView(string TenantId, DateTimeOffset LastCallAt, long Calls, string Silo);

public sealed record TopTenantsView(SourceState Source, IReadOnlyList<TopTenantView> Tenants);

/// <summary>
/// One tenant as the dashboard shows it. <see cref="State"/> is <c>active</c> (with <see cref="Activity"/>),
/// <c>dormant</c> (known not to be active), or <c>unknown</c> (this process cannot tell).
/// </summary>
public sealed record TenantView(
    string TenantId,
    SourceState Registry,
    bool Registered,
    string? DisplayName,
    string? Plan,
    string? Status,
    DateTimeOffset? CreatedAt,
    string? Provider,
    string State,
    string? ActiveOn,
    UserGrainActivity? Activity,
    SourceState ActivitySource);

public sealed record AlertsView(SourceState Source, IReadOnlyList<AlertRecord> Active, IReadOnlyList<AlertRecord> History);

public sealed record SyncView(SourceState Source, ConfigSyncStatus? Status);

public sealed record LoginRequest(string? Token);
