using System.Diagnostics;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>A call of the load that failed: when it started and ended (on the load's clock), what it called, and how it failed.</summary>
internal sealed record CallFailure(TimeSpan StartedAt, TimeSpan EndedAt, string Target, string Kind, string Message)
{
    public override string ToString() => $"[{StartedAt.TotalSeconds:0.000}–{EndedAt.TotalSeconds:0.000} s] {Target}: {Kind}: {Message}";
}

/// <summary>
/// Steady load on a cluster from in-process clients: workers that call probe grains (<c>Echo</c>)
/// and tenants (<c>chat.history</c>) in turn, each pausing briefly between calls so the silos keep
/// CPU for heartbeats and probes. Records every failure with its kind; counts successes.
/// </summary>
internal sealed class ClusterLoad : IAsyncDisposable
{
    /// <summary>Failures a caller may see while a silo is gone and before the cluster noticed: the runtime's "retry shortly".</summary>
    public static readonly IReadOnlySet<string> RetryableKinds = new HashSet<string>
    {
        nameof(SiloUnavailableException),
        "reply UNAVAILABLE retryable",
    };

    private const int DefaultWorkers = 8;
    private static readonly TimeSpan DefaultPause = TimeSpan.FromMilliseconds(5);

    private readonly IReadOnlyList<IGrainFactory> _factories;
    private readonly IReadOnlyList<string> _probeKeys;
    private readonly IReadOnlyList<string> _tenants;
    private readonly int _workers;
    private readonly TimeSpan _pause;
    private readonly Stopwatch _clock = new();
    private readonly List<CallFailure> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private long _succeeded;

    public ClusterLoad(IReadOnlyList<IGrainFactory> factories, IReadOnlyList<string> probeKeys, IReadOnlyList<string> tenants, int workers = DefaultWorkers, TimeSpan? pause = null)
    {
        _factories = factories;
        _probeKeys = probeKeys;
        _tenants = tenants;
        _workers = workers;
        _pause = pause ?? DefaultPause;
    }

    /// <summary>The load's clock: time since <see cref="Start"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public IReadOnlyList<CallFailure> Failures
    {
        get
        {
            lock (_failures) return [.. _failures];
        }
    }

    public void Start()
    {
        _clock.Start();
        _running = Task.WhenAll(Enumerable.Range(0, _workers).Select(w => Task.Run(() => WorkAsync(w))));
    }

    /// <summary>Waits until <paramref name="calls"/> more calls than now have succeeded.</summary>
    public Task WaitForMoreSuccessesAsync(int calls, TimeSpan deadline)
    {
        var target = Succeeded + calls;
        return Eventually.TrueAsync(() => Succeeded >= target, deadline, $"{calls} more successful calls of the load ({Succeeded} so far)");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    /// <summary>
    /// Failures that do not belong to the outage [<paramref name="from"/>, <paramref name="to"/>] (a call
    /// belongs to it when it was still in flight at <paramref name="from"/> or started before
    /// <paramref name="to"/>) or are not of a retryable kind.
    /// </summary>
    public IReadOnlyList<CallFailure> UnexpectedFailures(TimeSpan from, TimeSpan to) =>
        [.. Failures.Where(f => f.EndedAt < from || f.StartedAt > to || !RetryableKinds.Contains(f.Kind))];

    private async Task WorkAsync(int worker)
    {
        var factory = _factories[worker % _factories.Count];
        var step = worker;
        while (!_stop.IsCancellationRequested)
        {
            step += _workers;
            var tenantTurn = _tenants.Count > 0 && (step / _workers) % 4 == 0;
            var target = tenantTurn ? "tenant " + _tenants[step % _tenants.Count] : "probe " + _probeKeys[step % _probeKeys.Count];
            var started = _clock.Elapsed;
            try
            {
                if (tenantTurn)
                {
                    var reply = await factory.GetGrain<IUserGrain>(_tenants[step % _tenants.Count])
                        .Invoke(TenantChat.Call("chat.history", new { sessionKey = TenantChat.Session, limit = 1 }, $"load-{worker}"));
                    if (!reply.Ok)
                        Record(started, target, $"reply {reply.Error?.Code}{(reply.Error?.Retryable == true ? " retryable" : "")}", reply.Error?.Message ?? "");
                    else Interlocked.Increment(ref _succeeded);
                }
                else
                {
                    var value = step;
                    if (await factory.GetGrain<IClusterProbeGrain>(_probeKeys[step % _probeKeys.Count]).Echo(value) != value)
                        Record(started, target, "wrong answer", $"Echo({value})");
                    else Interlocked.Increment(ref _succeeded);
                }
            }
            catch (Exception ex)
            {
                Record(started, target, ex.GetType().Name, ex.Message);
            }
            try
            {
                await Task.Delay(_pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Record(TimeSpan started, string target, string kind, string message)
    {
        lock (_failures) _failures.Add(new CallFailure(started, _clock.Elapsed, target, kind, message));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
