using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// This edge's one subscription to one tenant's events, shared by all the tenant's sockets here:
/// the grain sends each event once, and <see cref="OnEvent"/> queues it on every member socket (or
/// only on those in the event's audience), each adding its own <c>seq</c>. Events reach only the
/// sockets of the tenant the hub was opened for, so they never cross tenants.
/// <para>
/// The subscription is renewed at the renewal interval and made again at once when it is known to
/// be gone: the grain said its activation is ending (<see cref="TenantEventSubscription.ResubscribeEvent"/>),
/// its silo was declared dead (<see cref="TenantEventHubs"/> hears it), or a request found the silo
/// unavailable (<see cref="ResubscribeAsync"/>). Failed subscribes back off from 100 ms to 5 s.
/// </para>
/// </summary>
internal sealed class TenantEventHub : ITenantEventObserver
{
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, ConnectionFrameWriter> _members = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IGrainFactory _grainFactory;
    private readonly IUserGrain _grain;
    private readonly string _subscriberId;
    private readonly EdgeGatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _credentialsChanged = NewSignal();
    private ConnectionFrameWriter[] _snapshot = [];
    private TaskCompletionSource? _nextSubscribe;
    private ITenantEventObserver? _reference;
    private Task _loop = Task.CompletedTask;

    public TenantEventHub(string tenantId, string subscriberId, IGrainFactory grainFactory, EdgeGatewayOptions options, TimeProvider time, ILogger logger)
    {
        TenantId = tenantId;
        _subscriberId = subscriberId;
        _grainFactory = grainFactory;
        _grain = grainFactory.GetGrain<IUserGrain>(tenantId);
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string TenantId { get; }

    /// <summary>Sockets of the tenant on this edge; guarded by the registry's lock.</summary>
    internal int MemberCount => _members.Count;

    /// <summary>Set by the registry once the last member left; a removed hub takes no members.</summary>
    internal bool Removed { get; set; }

    internal void Add(string connectionId, ConnectionFrameWriter writer)
    {
        lock (_lock)
        {
            _members[connectionId] = writer;
            _snapshot = [.. _members.Values];
        }
    }

    internal void Remove(string connectionId)
    {
        lock (_lock)
        {
            _members.Remove(connectionId);
            _snapshot = [.. _members.Values];
        }
    }

    public void Start() => _loop = RunAsync(_stopping.Token);

    public void OnEvent(TenantEvent tenantEvent)
    {
        if (tenantEvent is null || string.IsNullOrEmpty(tenantEvent.Event)) return;
        if (tenantEvent.Event == TenantEventSubscription.ResubscribeEvent)
        {
            Wake();
            return;
        }
        if (tenantEvent.Event == TenantControlEvents.CredentialsChanged)
        {
            Interlocked.Exchange(ref _credentialsChanged, NewSignal()).TrySetResult();
            return;
        }
        // The challenge belongs to the handshake; nobody else may send it.
        if (tenantEvent.Event == ProtocolConstants.ChallengeEvent) return;

        if (tenantEvent.Audience is null)
        {
            foreach (var writer in Volatile.Read(ref _snapshot))
            {
                writer.TryEnqueueEvent(tenantEvent.Event, tenantEvent.PayloadJson, sequenced: true);
            }
            return;
        }

        foreach (var connectionId in tenantEvent.Audience)
        {
            ConnectionFrameWriter? writer;
            lock (_lock) _members.TryGetValue(connectionId, out writer);
            writer?.TryEnqueueEvent(tenantEvent.Event, tenantEvent.PayloadJson, sequenced: true);
        }
    }

    /// <summary>
    /// Completes at the next <see cref="TenantControlEvents.CredentialsChanged"/> notice of the tenant
    /// (its tokens or status changed): the sockets' credential watches re-check their tokens then.
    /// </summary>
    internal Task NextCredentialsChange => Volatile.Read(ref _credentialsChanged).Task;

    /// <summary>The subscription is gone (the tenant's silo died or it is moving): subscribe again now.</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>
    /// Subscribes again now and completes once a subscribe succeeded, so that a request retried
    /// after its silo was lost reaches an activation that already knows this edge.
    /// </summary>
    public Task ResubscribeAsync()
    {
        Task next;
        lock (_lock) next = (_nextSubscribe ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        Wake();
        return next;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var renewal = _options.EffectiveSubscriptionRenewalInterval;
        var callTimeout = TimeSpan.FromMilliseconds(_options.RequestTimeoutMs);
        var retry = MinRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            // A wake that arrives while this subscribe is in flight makes the loop subscribe again.
            var wake = NewSignal();
            Volatile.Write(ref _wake, wake);
            TimeSpan delay;
            try
            {
                _reference ??= _grainFactory.CreateObjectReference<ITenantEventObserver>(this);
                await _grain.Subscribe(_subscriberId, _reference).WaitAsync(callTimeout, _time, cancellationToken).ConfigureAwait(false);
                TaskCompletionSource? waiting;
                lock (_lock) (waiting, _nextSubscribe) = (_nextSubscribe, null);
                waiting?.TrySetResult();
                retry = MinRetryDelay;
                delay = renewal;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                EdgeGatewayLog.SubscribeFailed(_logger, ex, _subscriberId, TenantId, (long)retry.TotalMilliseconds);
                delay = retry < renewal ? retry : renewal;
                retry = retry * 2 < MaxRetryDelay ? retry * 2 : MaxRetryDelay;
            }

            using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, _time, waitEnds.Token);
            await Task.WhenAny(wake.Task, timer).ConfigureAwait(false);
            await waitEnds.CancelAsync().ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops renewing, unsubscribes (bounded by <paramref name="timeout"/>) and unregisters the observer.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            // A subscribe still in flight must not land after the unsubscribe.
            await _loop.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // It failed (logged by the loop) or timed out: unsubscribe anyway.
        }
        lock (_lock) _nextSubscribe?.TrySetCanceled();

        var reference = Interlocked.Exchange(ref _reference, null);
        if (reference is null) return;
        try
        {
            await _grain.Unsubscribe(_subscriberId).WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.UnsubscribeFailed(_logger, ex, _subscriberId, TenantId);
        }
        try
        {
            _grainFactory.DeleteObjectReference(reference);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.UnsubscribeFailed(_logger, ex, _subscriberId, TenantId);
        }
        _stopping.Dispose();
    }
}
