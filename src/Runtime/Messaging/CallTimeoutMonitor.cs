using Microsoft.Extensions.Hosting;

namespace OpenClaw.Runtime;

/// <summary>
/// Fails calls whose deadline passed with <see cref="GrainCallTimeoutException"/>. Deadlines are
/// checked on a coarse interval per busy activation instead of a timer per call, which keeps the
/// call path free of timer allocations.
/// </summary>
internal sealed class CallTimeoutMonitor(Catalog catalog, TimeProvider time) : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = catalog.Options.ResponseTimeoutScanInterval;
        _timer = time.CreateTimer(static s => ((CallTimeoutMonitor)s!).Scan(), this, interval, interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Scan()
    {
        var now = time.GetTimestamp();
        foreach (var activation in catalog.Activations) activation.ExpireCalls(now);
    }

    public void Dispose() => _timer?.Dispose();
}
