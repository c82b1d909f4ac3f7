using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// This edge's one subscription to one tenant's events, shared by all the tenant's sockets here:
/// the grain sends each event once, and <see cref="OnEvent"/> queues it on every member socket (or
/// only on those in the event's audience) that <see cref="EventDeliveryRules"/> accept, each adding its own <c>seq</c>. Events reach only the
/// sockets of the tenant the hub was opened for, so they never cross tenants.
/// <para>
/// The subscription is renewed at the renewal interval and made again at once when it is known to
/// be gone: the grain said its activation is ending (<see cref="TenantEventSubscription.ResubscribeEvent"/>),
/// its silo was declared dead (<see cref="TenantEventHubs"/> hears it), or a request found the silo
/// unavailable (<see cref="ResubscribeAsync"/>). Failed subscribes back off from 100 ms to 5 s.
/// A subscribe after a wake or a failure may have reached a new activation, which knows none of the
/// sockets: the hub then reports them all again (<see cref="TenantConnectionReporter"/>).
/// </para>
/// </summary>
internal sealed class TenantEventHub : ITenantEventObserver
{
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
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
    private Member[] _snapshot = [];
    private readonly TenantConnectionReporter _reporter;
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
        _reporter = new TenantConnectionReporter(_grain, tenantId, TimeSpan.FromMilliseconds(options.RequestTimeoutMs), time, logger);
    }

    /// <summary>This hub's subscriber id (see <see cref="IUserGrain.Subscribe"/>); the grain ties the reported sockets to it.</summary>
    public string SubscriberId => _subscriberId;

    public string TenantId { get; }

    /// <summary>Sockets of the tenant on this edge; guarded by the registry's lock.</summary>
    internal int MemberCount => _members.Count;

    /// <summary>Set by the registry once the last member left; a removed hub takes no members.</summary>
    internal bool Removed { get; set; }

    internal void Add(string connectionId, ConnectionFrameWriter writer, ConnectionIdentity identity)
    {
        lock (_lock)
        {
            _members[connectionId] = new Member(writer, identity);
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
        _reporter.Closed(connectionId);
    }

    /// <summary>The socket got its hello-ok: the grain learns about it (and again after every resubscribe).</summary>
    public void ReportOpened(GatewayConnectionInfo connection) => _reporter.Opened(connection);

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
            foreach (var member in Volatile.Read(ref _snapshot)) Deliver(member, tenantEvent, addressed: false);
            return;
        }

        foreach (var connectionId in tenantEvent.Audience)
        {
            Member? member;
            lock (_lock) _members.TryGetValue(connectionId, out member);
            if (member is not null) Deliver(member, tenantEvent, addressed: true);
        }
    }

    private static void Deliver(Member member, TenantEvent tenantEvent, bool addressed)
    {
        if (!EventDeliveryRules.Accepts(member.Identity, tenantEvent, addressed)) return;
        member.Writer.TryEnqueueEvent(tenantEvent.Event, tenantEvent.PayloadJson, EventDeliveryRules.Sequenced(member.Identity, addressed));
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
        // The first subscribe needs no re-report (each socket reports itself after hello-ok); one
        // after a wake or a failure may reach a new activation that knows none of the sockets.
        var mayBeNewActivation = false;
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
                if (mayBeNewActivation) _reporter.ReportAll();
                else _reporter.RetryFailed();
                mayBeNewActivation = false;
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
                mayBeNewActivation = true;
            }

            using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, _time, waitEnds.Token);
            await Task.WhenAny(wake.Task, timer).ConfigureAwait(false);
            if (wake.Task.IsCompleted) mayBeNewActivation = true;
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
        // The last socket's close report goes before the unsubscribe.
        await _reporter.StopAsync(timeout).ConfigureAwait(false);

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

    private sealed record Member(ConnectionFrameWriter Writer, ConnectionIdentity Identity);
}
