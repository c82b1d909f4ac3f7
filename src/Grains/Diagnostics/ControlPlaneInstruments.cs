using System.Diagnostics.Metrics;

namespace OpenClaw.Grains.Diagnostics;

/// <summary>
/// The control plane's meter (<see cref="MeterName"/>): the tenant registry and config sync feed
/// it through the small API below (a DI singleton). Labels are bounded (operation names from
/// <see cref="RegistryOperations"/>, outcome, change kind); never a tenant.
/// <list type="bullet">
/// <item><c>openclaw.tenants</c> (gauge, <c>status</c> = total|active|suspended): set with <see cref="ObserveTenants"/>.</item>
/// <item><c>openclaw.tenant_registry.operations</c> (counter, <c>operation</c>, <c>outcome</c> = ok|error) and
/// <c>openclaw.tenant_registry.operation.duration</c> (histogram, s, <c>operation</c>): <see cref="RegistryOperation"/>.</item>
/// <item><c>openclaw.config_sync.runs</c> (counter, <c>outcome</c> = ok|failed), <c>openclaw.config_sync.duration</c>
/// (histogram, s), <c>openclaw.config_sync.changes</c> (counter, <c>change</c> = added|updated|removed),
/// <c>openclaw.config_sync.consecutive_failures</c> (gauge): <see cref="SyncSucceeded"/> and <see cref="SyncFailed"/>.</item>
/// </list>
/// </summary>
public sealed class ControlPlaneInstruments : IDisposable
{
    public const string MeterName = "OpenClaw.ControlPlane";

    /// <summary>Registry operation names the label accepts; anything else is recorded as <c>other</c>.</summary>
    public static class RegistryOperations
    {
        public const string Get = "get";
        public const string Resolve = "resolve_token";
        public const string Upsert = "upsert";
        public const string UpsertMany = "upsert_many";
        public const string Delete = "delete";
        public const string List = "list";
        public const string Count = "count";
        public const string AddToken = "add_token";
        public const string RevokeToken = "revoke_token";

        internal static readonly HashSet<string> All = [Get, Resolve, Upsert, UpsertMany, Delete, List, Count, AddToken, RevokeToken];
    }

    private static readonly IReadOnlyList<double> DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly Counter<long> _registryOperations;
    private readonly Histogram<double> _registryDuration;
    private readonly Counter<long> _syncRuns;
    private readonly Histogram<double> _syncDuration;
    private readonly Counter<long> _syncChanges;
    private Func<TenantCounts>? _tenants;
    private int _consecutiveSyncFailures;

    public ControlPlaneInstruments(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("openclaw.tenants", ObserveTenantCounts, "{tenant}", "Tenants in the registry by status: total, active (activated on this silo), suspended.");
        _registryOperations = _meter.CreateCounter<long>("openclaw.tenant_registry.operations", "{operation}", "Tenant registry operations by operation and outcome.");
        _registryDuration = _meter.CreateHistogram("openclaw.tenant_registry.operation.duration", "s", "Tenant registry operation time by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _syncRuns = _meter.CreateCounter<long>("openclaw.config_sync.runs", "{run}", "Config sync passes by outcome (ok, failed).");
        _syncDuration = _meter.CreateHistogram("openclaw.config_sync.duration", "s", "Config sync pass time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _syncChanges = _meter.CreateCounter<long>("openclaw.config_sync.changes", "{tenant}", "Tenant configs the sync changed, by change (added, updated, removed).");
        _meter.CreateObservableGauge("openclaw.config_sync.consecutive_failures", () => Volatile.Read(ref _consecutiveSyncFailures), "{run}",
            "Config sync passes that failed in a row (0 after a success).");
    }

    public int ConsecutiveSyncFailures => Volatile.Read(ref _consecutiveSyncFailures);

    /// <summary>The registry tells where its counts come from (read at each collection; keep it cheap or cached).</summary>
    public void ObserveTenants(Func<TenantCounts> read) => _tenants = read;

    public void RegistryOperation(string operation, bool ok, TimeSpan elapsed)
    {
        var label = new KeyValuePair<string, object?>("operation", RegistryOperations.All.Contains(operation) ? operation : "other");
        _registryOperations.Add(1, label, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "error"));
        _registryDuration.Record(elapsed.TotalSeconds, label);
    }

    public void SyncSucceeded(TimeSpan elapsed, int added, int updated, int removed)
    {
        Volatile.Write(ref _consecutiveSyncFailures, 0);
        _syncRuns.Add(1, new KeyValuePair<string, object?>("outcome", "ok"));
        _syncDuration.Record(elapsed.TotalSeconds);
        if (added > 0) _syncChanges.Add(added, new KeyValuePair<string, object?>("change", "added"));
        if (updated > 0) _syncChanges.Add(updated, new KeyValuePair<string, object?>("change", "updated"));
        if (removed > 0) _syncChanges.Add(removed, new KeyValuePair<string, object?>("change", "removed"));
    }

    public void SyncFailed(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _consecutiveSyncFailures);
        _syncRuns.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        _syncDuration.Record(elapsed.TotalSeconds);
    }

    private IEnumerable<Measurement<long>> ObserveTenantCounts()
    {
        if (_tenants is not { } read) yield break;
        var counts = read();
        yield return new Measurement<long>(counts.Total, new KeyValuePair<string, object?>("status", "total"));
        yield return new Measurement<long>(counts.Active, new KeyValuePair<string, object?>("status", "active"));
        yield return new Measurement<long>(counts.Suspended, new KeyValuePair<string, object?>("status", "suspended"));
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Tenant counts for the <c>openclaw.tenants</c> gauge.</summary>
public readonly record struct TenantCounts(long Total, long Active, long Suspended);
