using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime.Client;

/// <summary>
/// A process that calls grains without hosting them (the edge). It reads the membership table to
/// find serving silos, keeps a connection to each one (silos call the client's observers back on
/// it), sends a call for a grain it has not located yet to its gateway silo, and afterwards
/// straight to the silo that answered. Calls in flight to a silo that goes away fail with
/// <see cref="SiloUnavailableException"/>; the next ones go elsewhere.
/// </summary>
public sealed class ClusterClient : IGrainCallRouter, IGrainLocationEvents, IHostedService, IDisposable
{
    private readonly IMembershipTable _table;
    private readonly ClusterMembershipView _view;
    private readonly MessageCenter _center;
    private readonly CallbackTable _callbacks;
    private readonly SiloConnector _connector;
    private readonly RemoteMessageSender _sender;
    private readonly LocalObserverRegistry _observers;
    private readonly ClusterOptions _cluster;
    private readonly ClusterClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GrainDirectoryCache _cache;
    private readonly long _timeoutTicks;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;
    private ITimer? _expiry;
    private SiloAddress? _gateway;

    internal ClusterClient(
        IMembershipTable table,
        ClusterMembershipView view,
        MessageCenter center,
        CallbackTable callbacks,
        SiloConnector connector,
        RemoteMessageSender sender,
        LocalObserverRegistry observers,
        IOptions<ClusterOptions> cluster,
        IOptions<ClusterClientOptions> options,
        TimeProvider time,
        ILogger<ClusterClient> logger)
    {
        _table = table;
        _view = view;
        _center = center;
        _callbacks = callbacks;
        _connector = connector;
        _sender = sender;
        _observers = observers;
        _cluster = cluster.Value;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _cache = new GrainDirectoryCache(_cluster.DirectoryCacheSize);
        _timeoutTicks = (long)(_options.ResponseTimeout.TotalSeconds * time.TimestampFrequency);
        var host = new string(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.').Take(40).ToArray());
        ClientId = _options.ClientId ?? $"client-{(host.Length > 0 ? host : "host")}-{Guid.NewGuid():N}";
        var identity = ClusterIdentity.ForClient(ClientId);
        _observers.OwnerId = identity.Id;
        _center.Identity = identity;
        _center.Router = this;
        _center.InboundHandler = new ObserverCallHandler(observers);
        _callbacks.Router = this;
        _callbacks.RanOnObserved = RememberLocation;
        GrainFactory = new GrainFactory(this, GrainTypeOf, observers);
        _view.Changed += OnMembershipChanged;
    }

    public string ClientId { get; }

    public IGrainFactory GrainFactory { get; }

    /// <summary>Completes once the client is connected to at least one serving silo.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Serving silos this client is connected to right now.</summary>
    public int ConnectedSilos => _view.Current.Serving.Count(s => _connector.TryGetEstablished(s) is not null);

    public MembershipSnapshot Membership => _view.Current;

    /// <summary>
    /// Raised with the grains this client last reached on a silo that has just been declared dead:
    /// their activations are gone, and so is whatever they held in memory for this client (observer
    /// subscriptions). The next call activates them elsewhere.
    /// </summary>
    public event Action<IReadOnlyList<GrainId>>? GrainsLost;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _stopping = new CancellationTokenSource();
        var scan = TimeSpan.FromSeconds(1);
        _expiry = _time.CreateTimer(static s => ((CallbackTable)s!).ExpireCalls(), _callbacks, scan, scan);
        _loop = Task.Run(() => RefreshLoopAsync(_stopping.Token), CancellationToken.None);
        ClientLog.Started(_logger, ClientId);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _expiry?.Dispose();
        foreach (var connection in _connector.Connections.ToList()) connection.Close("the client is stopping");
    }

    public Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainRequest<TResult> request)
    {
        var call = new PendingCall<TResult>(target.GrainId, request, (request.Flags & InvokeFlags.AlwaysInterleave) != 0, _time.GetTimestamp() + _timeoutTicks);
        call.CaptureTraceParent();
        if (!call.BindCancellation()) return call.Task;
        Route(call);
        return call.Task;
    }

    public void InvokeOneWay(GrainReference target, GrainRequest request)
    {
        var call = new OneWayCall(target.GrainId, request, (request.Flags & InvokeFlags.AlwaysInterleave) != 0, null);
        call.CaptureTraceParent();
        if (target.GrainId.IsObserver) _observers.Deliver(call);
        else Route(call);
    }

    private void Route(GrainMessage message)
    {
        if (message.Target.IsObserver)
        {
            _observers.Deliver(message);
            return;
        }
        var snapshot = _view.Current;
        // A key that names a serving silo goes straight there: that is where a silo-bound grain
        // runs, and any silo routes other grains correctly (tenant ids are never silo addresses).
        if (SiloBoundKeys.TryParse(message.Target.Key, out var named) && snapshot.StatusOf(named) is SiloStatus.Active or SiloStatus.ShuttingDown)
        {
            _sender.Send(message, named);
            return;
        }
        if (_cache.TryGet(message.Target, out var owner))
        {
            if (snapshot.StatusOf(owner) == SiloStatus.Active)
            {
                _sender.Send(message, owner);
                return;
            }
            _cache.Remove(message.Target, owner);
        }
        if (Gateway() is { } gateway) _sender.Send(message, gateway);
        else message.Fail(new SiloUnavailableException("No silo of the cluster is serving right now; retry shortly."));
    }

    /// <summary>The preferred gateway while it is Active, else one Active silo (kept until it stops being Active).</summary>
    private SiloAddress? Gateway()
    {
        var snapshot = _view.Current;
        if (_gateway is { } current && snapshot.StatusOf(current) == SiloStatus.Active) return current;
        var active = snapshot.Active;
        if (active.Count == 0) return null;
        var preferred = _options.PreferredGateway is { Length: > 0 } endpoint ? active.FirstOrDefault(s => s.Endpoint == endpoint) : default;
        var chosen = preferred != default ? preferred : active[Random.Shared.Next(active.Count)];
        _gateway = chosen;
        return chosen;
    }

    private string GrainTypeOf(Type grainInterface)
    {
        if (_center.RemoteManifest.TryGetGrainType(grainInterface.FullName!, out var grainType)) return grainType;
        throw new SiloUnavailableException(_center.RemoteManifest.Count == 0
            ? $"Not connected to the cluster yet: cannot address {grainInterface.Name}."
            : $"No silo of the cluster hosts {grainInterface.FullName}.");
    }

    private async Task RefreshLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var version = await _table.ReadVersionAsync(stopping).ConfigureAwait(false);
                if (version != _view.Current.Version || version == 0)
                    _view.Update(await _table.ReadAllAsync(stopping).ConfigureAwait(false));
                await ConnectToServingSilosAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                ClientLog.RefreshFailed(_logger, ClientId, ex.Message);
            }
            try
            {
                await Task.Delay(_cluster.TableRefreshInterval, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Keeps a connection to every serving silo: they call this client's observers back on it.</summary>
    private async Task ConnectToServingSilosAsync(CancellationToken cancellationToken)
    {
        var serving = _view.Current.Serving;
        var attempts = serving.Where(s => _connector.TryGetEstablished(s) is null).Select(async silo =>
        {
            try
            {
                await _connector.GetAsync(silo, cancellationToken).ConfigureAwait(false);
            }
            catch (SiloUnavailableException ex)
            {
                ClientLog.ConnectFailed(_logger, ClientId, silo, ex.Message);
            }
        });
        await Task.WhenAll(attempts).ConfigureAwait(false);
        if (ConnectedSilos > 0 && _center.RemoteManifest.Count > 0) _ready.TrySetResult();
    }

    private void OnMembershipChanged(MembershipSnapshot snapshot, IReadOnlyList<SiloAddress> newlyDead)
    {
        var lost = new List<GrainId>();
        foreach (var dead in newlyDead)
        {
            lost.AddRange(_cache.RemoveSilo(dead));
            _ = _connector.ForgetAfterDrainNoticeAsync(dead);
        }
        if (lost.Count > 0) GrainsLost?.Invoke(lost);
        foreach (var entry in snapshot.Entries.Where(e => e.Status == SiloStatus.ShuttingDown)) _cache.RemoveSilo(entry.Silo);
        ClientLog.MembershipChanged(_logger, ClientId, snapshot.Serving.Count, Gateway()?.ToString() ?? "none");
    }

    /// <summary>Caches where a grain lives, unless that silo is leaving (<see cref="MembershipSnapshot.IsLeaving"/>).</summary>
    private void RememberLocation(GrainId grain, SiloAddress silo)
    {
        if (!_view.Current.IsLeaving(silo)) _cache.Set(grain, silo);
    }

    public void Dispose()
    {
        _expiry?.Dispose();
        _stopping?.Dispose();
    }

    /// <summary>Calls from silos to this client are calls to its observers.</summary>
    private sealed class ObserverCallHandler(LocalObserverRegistry observers) : IInboundCallHandler
    {
        public void Handle(InboundCall call)
        {
            if (!call.Target.IsObserver || !observers.IsLocal(call.Target))
            {
                call.Fail(new ObserverNotFoundException($"{call.Target} is not an observer of this client."));
                return;
            }
            observers.Deliver(call);
        }
    }
}
