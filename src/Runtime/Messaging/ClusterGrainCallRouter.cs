using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// The message path of a silo in a cluster. A call goes to the local activation if there is one;
/// otherwise to the silo the directory cache names; otherwise the grain directory is asked (one
/// lookup per grain at a time) and, when no live activation is registered, placement chooses a
/// silo (this one or another, which is then told "placed here"). Whoever creates the activation
/// registers it first; a loser forwards to the winner. Messages forwarded more than
/// <see cref="ClusterOptions.MaxForwardCount"/> times fail with a retryable error instead of
/// circling. Observer calls go back to the process that hosts the observer over its connection.
/// </summary>
internal sealed partial class ClusterGrainCallRouter : IGrainCallRouter, IInboundCallHandler, ICatalogClusterServices, IGrainLocationEvents
{
    private static readonly TimeSpan UnregisterTimeout = TimeSpan.FromSeconds(5);

    private readonly Catalog _catalog;
    private readonly GrainTypeRegistry _types;
    private readonly LocalObserverRegistry _observers;
    private readonly MessageCenter _center;
    private readonly RemoteMessageSender _sender;
    private readonly ClusterMembershipView _view;
    private readonly IGrainDirectory _directory;
    private readonly IPlacementDirector _placement;
    private readonly IActivationAudit _audit;
    private readonly SiloConnector _connector;
    private readonly LocalSilo _local;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _timeoutTicks;
    private readonly Action<GrainMessage, Exception> _oneWayFailed;
    private readonly ConcurrentDictionary<GrainId, Task<GrainAddress?>> _lookups = new();
    private readonly ConcurrentDictionary<SiloAddress, int> _placedSinceRefresh = new();

    public ClusterGrainCallRouter(
        Catalog catalog,
        LocalObserverRegistry observers,
        GrainTypeRegistry types,
        MessageCenter center,
        RemoteMessageSender sender,
        SiloConnector connector,
        ClusterMembershipView view,
        IGrainDirectory directory,
        IPlacementDirector placement,
        IActivationAudit audit,
        MembershipLease lease,
        LocalSilo local,
        IOptions<GrainRuntimeOptions> runtimeOptions,
        IOptions<ClusterOptions> options,
        TimeProvider time,
        ILogger<ClusterGrainCallRouter> logger)
    {
        _catalog = catalog;
        _types = types;
        _observers = observers;
        _center = center;
        _sender = sender;
        _connector = connector;
        _view = view;
        _directory = directory;
        _placement = placement;
        _audit = audit;
        Lease = lease;
        _local = local;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _timeoutTicks = (long)(runtimeOptions.Value.ResponseTimeout.TotalSeconds * time.TimestampFrequency);
        _oneWayFailed = (message, error) => RuntimeLog.OneWayCallFailed(_logger, message.Describe(), message.Target, error);
        Cache = new GrainDirectoryCache(_options.DirectoryCacheSize);
        GrainFactory = new GrainFactory(this, types, observers);
        _view.Changed += OnMembershipChanged;
    }

    public IGrainFactory GrainFactory { get; }

    public GrainDirectoryCache Cache { get; }

    public SiloAddress Silo => _local.Address;

    public ISiloLease Lease { get; }

    public event Action<IReadOnlyList<GrainId>>? GrainsLost;

    // ---- IGrainCallRouter: calls made in this process ----------------------------------------

    public Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainRequest<TResult> request)
    {
        var call = new PendingCall<TResult>(
            target.GrainId, request, (request.Flags & InvokeFlags.AlwaysInterleave) != 0, _time.GetTimestamp() + _timeoutTicks);
        call.CaptureTraceParent();
        if (!call.BindCancellation()) return call.Task;
        Route(call, placedHere: false);
        return call.Task;
    }

    public void InvokeOneWay(GrainReference target, GrainRequest request)
    {
        var call = new OneWayCall(target.GrainId, request, (request.Flags & InvokeFlags.AlwaysInterleave) != 0, _oneWayFailed);
        call.CaptureTraceParent();
        if (target.GrainId.IsObserver)
        {
            DeliverToObserver(call, throwIfGone: true);
            return;
        }
        Route(call, placedHere: false);
    }

    // ---- IInboundCallHandler: calls from other processes -------------------------------------

    public void Handle(InboundCall call) => Route(call, call.PlacedHere);

    // ---- routing -----------------------------------------------------------------------------

    private void Route(GrainMessage message, bool placedHere)
    {
        var id = message.Target;
        if (id.IsObserver)
        {
            DeliverToObserver(message, throwIfGone: false);
            return;
        }
        if (_types.IsSiloBound(id.Type))
        {
            RouteSiloBound(message);
            return;
        }
        if (_catalog.TryGetActivation(id, out var activation) && activation.TryEnqueue(message)) return;
        if (placedHere && !_catalog.IsStopping)
        {
            _catalog.Dispatch(message);
            return;
        }
        if (Cache.TryGet(id, out var owner))
        {
            if (owner == Silo)
            {
                if (!_catalog.IsStopping)
                {
                    _catalog.Dispatch(message);
                    return;
                }
                Cache.Remove(id, owner);
            }
            else if (!_view.Current.IsDead(owner))
            {
                Forward(message, owner, RequestFlags.None);
                return;
            }
            else
            {
                Cache.Remove(id, owner);
            }
        }
        _ = ResolveAsync(message);
    }

    private async Task ResolveAsync(GrainMessage message)
    {
        var id = message.Target;
        try
        {
            var entry = await LookupAsync(id).ConfigureAwait(false);
            if (message.IsCompleted) return;
            if (entry is not null && !_view.Current.IsDead(entry.Silo) && !(entry.Silo == Silo && _catalog.IsStopping))
            {
                RememberLocation(id, entry.Silo);
                if (entry.Silo == Silo) _catalog.Dispatch(message);
                else Forward(message, entry.Silo, RequestFlags.None);
                return;
            }
            var chosen = Place(id);
            if (chosen == Silo) _catalog.Dispatch(message);
            else Forward(message, chosen, RequestFlags.PlacedHere);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ClusterLog.RoutingFailed(_logger, id, ex.Message);
            message.Fail(ex as SiloUnavailableException ?? new SiloUnavailableException($"{id} could not be located right now ({ex.Message}); retry shortly."));
        }
    }

    /// <summary>One directory lookup per grain at a time; concurrent first calls share it.</summary>
    private Task<GrainAddress?> LookupAsync(GrainId id)
    {
        var lookup = _lookups.GetOrAdd(id, static (key, self) => self._directory.LookupAsync(key, CancellationToken.None), this);
        if (!lookup.IsCompleted) _ = lookup.ContinueWith(static (t, s) =>
        {
            var (self, key) = ((ClusterGrainCallRouter, GrainId))s!;
            self._lookups.TryRemove(new KeyValuePair<GrainId, Task<GrainAddress?>>(key, t));
        }, (this, id), TaskScheduler.Default);
        else _lookups.TryRemove(new KeyValuePair<GrainId, Task<GrainAddress?>>(id, lookup));
        return lookup;
    }

    private SiloAddress Place(GrainId id)
    {
        var snapshot = _view.Current;
        var stopping = _catalog.IsStopping;
        var candidates = snapshot.Active.Where(s => !(stopping && s == Silo)).ToList();
        if (candidates.Count == 0)
        {
            if (!stopping) return Silo;
            throw new SiloUnavailableException("No silo takes new activations right now (the cluster is shutting down or still starting).");
        }
        var chosen = _placement.Choose(id, candidates, silo =>
            (silo == Silo ? _catalog.Count : snapshot.Find(silo)?.ActivationCount ?? 0) + _placedSinceRefresh.GetValueOrDefault(silo));
        _placedSinceRefresh.AddOrUpdate(chosen, 1, static (_, n) => n + 1);
        return chosen;
    }

    private void Forward(GrainMessage message, SiloAddress silo, RequestFlags flags)
    {
        if (message.ForwardCount >= _options.MaxForwardCount)
        {
            message.Fail(new SiloUnavailableException(
                $"{message.Target} is moving between silos ({message.ForwardCount} forwards so far); {message.Describe()} was not run, retry shortly."));
            return;
        }
        message.ForwardCount++;
        _sender.Send(message, silo, flags);
    }

    private void DeliverToObserver(GrainMessage message, bool throwIfGone)
    {
        var id = message.Target;
        if (_observers.IsLocal(id))
        {
            _observers.Deliver(message);
            return;
        }
        var owner = LocalObserverRegistry.OwnerOf(id);
        if (_center.Clients.TryGetValue(owner, out var connection) && !connection.IsClosed)
        {
            _sender.SendOn(message, connection);
            return;
        }
        if (TryParseSilo(owner, out var silo) && !_view.Current.IsDead(silo))
        {
            _sender.Send(message, silo);
            return;
        }
        var gone = new ObserverNotFoundException($"Observer {id.Key} is gone: its process is not connected to this silo.");
        if (throwIfGone) throw gone;
        message.Fail(gone);
    }

    private static bool TryParseSilo(string text, out SiloAddress silo)
    {
        try
        {
            silo = SiloAddress.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            silo = default;
            return false;
        }
    }

    private void OnMembershipChanged(MembershipSnapshot snapshot, IReadOnlyList<SiloAddress> newlyDead)
    {
        _placedSinceRefresh.Clear();
        foreach (var silo in snapshot.Entries.Where(e => e.Status == SiloStatus.ShuttingDown).Select(e => e.Silo))
            if (silo != Silo) Cache.RemoveSilo(silo);
        if (newlyDead.Count == 0) return;
        var lost = new List<GrainId>();
        foreach (var dead in newlyDead)
        {
            lost.AddRange(Cache.RemoveSilo(dead));
            _ = _connector.ForgetAfterDrainNoticeAsync(dead);
        }
        if (lost.Count > 0) GrainsLost?.Invoke(lost);
        _ = RemoveDeadEntriesAsync();
    }

    private async Task RemoveDeadEntriesAsync()
    {
        try
        {
            var removed = await _directory.RemoveDeadSilosAsync(CancellationToken.None).ConfigureAwait(false);
            if (removed > 0) ClusterLog.DeadEntriesRemoved(_logger, removed);
        }
        catch (Exception ex)
        {
            ClusterLog.DirectoryCleanupFailed(_logger, ex.Message);
        }
    }

    // ---- ICatalogClusterServices -------------------------------------------------------------

    public async Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        var registered = await _directory.RegisterAsync(address, cancellationToken).ConfigureAwait(false);
        RememberLocation(address.GrainId, registered.Silo);
        return registered;
    }

    public async Task UnregisterAsync(GrainAddress address)
    {
        Cache.Remove(address.GrainId, address.Silo);
        try
        {
            await _directory.UnregisterAsync(address, CancellationToken.None).WaitAsync(UnregisterTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ClusterLog.UnregisterFailed(_logger, address.GrainId, ex.Message);
        }
    }

    public Task RecordActivationAsync(GrainAddress address, CancellationToken cancellationToken) =>
        _options.ActivationAudit ? _audit.RecordAsync(address, cancellationToken) : Task.CompletedTask;

    /// <summary>Caches where a grain lives, unless that silo is leaving (<see cref="MembershipSnapshot.IsLeaving"/>).</summary>
    public void RememberLocation(GrainId grain, SiloAddress silo)
    {
        if (!_view.Current.IsLeaving(silo)) Cache.Set(grain, silo);
    }

    public void ForwardTo(GrainMessage message, SiloAddress silo)
    {
        RememberLocation(message.Target, silo);
        Forward(message, silo, RequestFlags.None);
    }

    public void Reroute(GrainMessage message) => Route(message, placedHere: false);
}
