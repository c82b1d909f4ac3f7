using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

/// <summary>
/// Deactivates activations that have been idle for their collection age (scanned every
/// <see cref="GrainRuntimeOptions.CollectionQuantum"/>) and, when the silo holds more than
/// <see cref="GrainRuntimeOptions.MaxActivations"/>, the least recently used idle ones.
/// Busy activations (a turn running, calls queued, pinned, observers attached) are never taken.
/// </summary>
internal sealed class ActivationCollector : IHostedService, IDisposable
{
    private readonly Catalog _catalog;
    private readonly GrainRuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private ITimer? _timer;
    private int _capacityPassQueued;

    public ActivationCollector(Catalog catalog, TimeProvider time, ILogger<ActivationCollector> logger)
    {
        _catalog = catalog;
        _options = catalog.Options;
        _time = time;
        _logger = logger;
        _catalog.CapacityExceeded += OnCapacityExceeded;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = _time.CreateTimer(static s => ((ActivationCollector)s!).RunScheduledPass(), this, _options.CollectionQuantum, _options.CollectionQuantum);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    private void RunScheduledPass() => _ = RunSafelyAsync(CollectIdleAsync);

    private void OnCapacityExceeded()
    {
        if (Interlocked.Exchange(ref _capacityPassQueued, 1) == 1) return;
        _ = RunSafelyAsync(async () =>
        {
            Volatile.Write(ref _capacityPassQueued, 0);
            await EvictOverCapacityAsync();
        });
    }

    private async Task RunSafelyAsync(Func<Task> pass)
    {
        try { await pass(); }
        catch (Exception ex) { RuntimeLog.CollectorFailed(_logger, ex); }
    }

    /// <summary>One idle-collection pass; returns how many activations it deactivated.</summary>
    public async Task<int> CollectIdleAsync()
    {
        await _pass.WaitAsync();
        try
        {
            var now = _time.GetTimestamp();
            var reason = new DeactivationReason(DeactivationReasonCode.ActivationIdle, "idle longer than the collection age");
            var attempts = new List<Task<bool>>();
            foreach (var activation in _catalog.Activations)
            {
                var ageTicks = ToTicks(activation.ClassInfo.CollectionAge);
                if (activation.LooksIdle(now, ageTicks)) attempts.Add(activation.TryCollectAsync(reason, ageTicks));
            }
            var collected = (await Task.WhenAll(attempts)).Count(c => c);
            if (collected > 0) RuntimeLog.CollectedIdle(_logger, collected, _catalog.Count);
            return collected;
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Deactivates least recently used idle activations until the silo is back at its capacity.</summary>
    public async Task<int> EvictOverCapacityAsync()
    {
        await _pass.WaitAsync();
        try
        {
            var excess = _catalog.Count - _options.MaxActivations;
            if (excess <= 0) return 0;
            var now = _time.GetTimestamp();
            var candidates = _catalog.Activations
                .Where(a => a.LooksIdle(now, 0))
                .Select(a => (Activation: a, LastActivity: a.LastActivityTimestamp))
                .ToList();
            candidates.Sort((x, y) => x.LastActivity.CompareTo(y.LastActivity));
            var reason = new DeactivationReason(DeactivationReasonCode.CapacityEviction, $"over capacity {_options.MaxActivations}");
            var evicted = 0;
            // Take candidates oldest first, in rounds, until enough of them really deactivated.
            for (var start = 0; start < candidates.Count && evicted < excess;)
            {
                var round = candidates.Skip(start).Take(excess - evicted).Select(c => c.Activation.TryCollectAsync(reason, 0)).ToArray();
                start += round.Length;
                evicted += (await Task.WhenAll(round)).Count(c => c);
            }
            if (evicted > 0) RuntimeLog.EvictedForCapacity(_logger, evicted, _options.MaxActivations, _catalog.Count);
            return evicted;
        }
        finally
        {
            _pass.Release();
        }
    }

    private long ToTicks(TimeSpan age) => (long)(age.TotalSeconds * _time.TimestampFrequency);

    public void Dispose()
    {
        _catalog.CapacityExceeded -= OnCapacityExceeded;
        _timer?.Dispose();
        _pass.Dispose();
    }
}
