using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// Reads the cluster figures (<see cref="IClusterStatsReader"/>) every
/// <see cref="DashboardOptions.SampleIntervalMs"/> and keeps the last
/// <see cref="DashboardOptions.SampleCapacity"/> samples, with rates computed from the totals of two
/// reads (per silo, so a restarted silo's reset counters never show as a negative rate). The
/// overview answers from the latest read, so its cost does not depend on the tenant count.
/// </summary>
internal sealed class DashboardSampler(
    IServiceProvider services,
    DashboardCallCounter calls,
    IOptions<DashboardOptions> options,
    TimeProvider time,
    ILogger<DashboardSampler> logger) : BackgroundService
{
    private readonly DashboardOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Queue<DashboardSample> _samples = new();
    private ClusterStatsSnapshot? _previous;
    private ClusterStatsSnapshot? _latest;
    private IReadOnlyDictionary<string, double> _siloRates = new Dictionary<string, double>();
    private IReadOnlyDictionary<string, long>? _previousTypeCalls;
    private DateTimeOffset _previousTypeCallsAt;
    private IReadOnlyDictionary<string, double> _typeRates = new Dictionary<string, double>();
    private SourceState _stats = SourceState.NotAvailable("not sampled yet");
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.SampleIntervalMs), time);
        // The first read waits one interval: at start the silo may not serve grain calls yet.
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SampleOnceAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes one sample now (the timer's work; tests and benchmarks call it directly).</summary>
    public async Task SampleOnceAsync(CancellationToken cancellationToken)
    {
        calls.Trim();
        SampleTypeRates();
        var reader = services.GetService<IClusterStatsReader>();
        if (reader is null)
        {
            SetStats(SourceState.NotAvailable("no cluster stats reader in this process"));
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.SourceTimeoutMs);
            var snapshot = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            Add(snapshot);
            _failing = false;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Logged when the source starts failing, not on every sample while it stays down.
            if (!_failing) DashboardLog.StatsReadFailed(logger, exception);
            _failing = true;
            SetStats(SourceState.NotAvailable($"reading the cluster stats failed: {exception.Message}"));
        }
    }

    public (SourceState Stats, ClusterStatsSnapshot? Latest, IReadOnlyDictionary<string, double> SiloRates, IReadOnlyDictionary<string, double> TypeRates, IReadOnlyList<DashboardSample> Series) Read()
    {
        lock (_lock) return (_stats, _latest, _siloRates, _typeRates, _samples.ToArray());
    }

    private void SetStats(SourceState state)
    {
        lock (_lock) _stats = state;
    }

    private void SampleTypeRates()
    {
        var now = time.GetUtcNow();
        var current = calls.CallsByType();
        var previous = _previousTypeCalls;
        var seconds = (now - _previousTypeCallsAt).TotalSeconds;
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (type, total) in current)
        {
            var before = previous is not null && previous.TryGetValue(type, out var value) ? value : 0;
            rates[type] = previous is null || seconds <= 0 ? 0 : Math.Max(0, total - before) / seconds;
        }

        _previousTypeCalls = current;
        _previousTypeCallsAt = now;
        lock (_lock) _typeRates = rates;
    }

    private void Add(ClusterStatsSnapshot snapshot)
    {
        var previous = _previous;
        var seconds = previous is null ? 0 : (snapshot.At - previous.At).TotalSeconds;
        var siloRates = new Dictionary<string, double>(StringComparer.Ordinal);
        double calls = 0, failures = 0;
        foreach (var silo in snapshot.Silos)
        {
            var before = previous?.Silos.FirstOrDefault(s => s.Silo == silo.Silo);
            var callRate = Rate(before?.CallsTotal, silo.CallsTotal, seconds);
            siloRates[silo.Silo] = callRate;
            calls += callRate;
            failures += Rate(before?.CallFailuresTotal, silo.CallFailuresTotal, seconds);
        }

        var sample = new DashboardSample(
            snapshot.At,
            calls,
            failures,
            snapshot.Silos.Count == 0 ? 0 : snapshot.Silos.Max(s => s.CallLatencyP50Ms),
            snapshot.Silos.Count == 0 ? 0 : snapshot.Silos.Max(s => s.CallLatencyP99Ms),
            snapshot.Silos.Sum(s => (long)s.Activations));
        _previous = snapshot;
        lock (_lock)
        {
            _stats = SourceState.Ok;
            _latest = snapshot;
            _siloRates = siloRates;
            if (previous is null) return;
            _samples.Enqueue(sample);
            while (_samples.Count > _options.SampleCapacity) _samples.Dequeue();
        }
    }

    /// <summary>Per second between two totals; a total that went down (the silo restarted) counts from zero.</summary>
    private static double Rate(long? before, long after, double seconds)
    {
        if (seconds <= 0 || before is null) return 0;
        var delta = after >= before.Value ? after - before.Value : after;
        return delta / seconds;
    }
}
