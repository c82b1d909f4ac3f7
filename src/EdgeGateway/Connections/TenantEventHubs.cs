using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// This edge's <see cref="TenantEventHub"/>s: one per tenant with sockets here, created by the first
/// socket and stopped (unsubscribed) when the last one leaves. In a cluster it also listens for
/// grains lost with a dead silo (<see cref="IGrainLocationEvents"/>) and makes those tenants' hubs
/// subscribe again at once, which activates the tenant on a live silo.
/// <para>
/// Every hub subscribes under its own id (edge id plus a counter), so a hub still unsubscribing
/// after its last socket left can never cancel the subscription of its successor.
/// </para>
/// </summary>
internal sealed class TenantEventHubs : IDisposable
{
    private readonly Dictionary<string, TenantEventHub> _hubs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly IGrainFactory _grainFactory;
    private readonly EdgeGatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IGrainLocationEvents? _locations;
    private readonly string _edgeId = "edge-" + Guid.NewGuid().ToString("N");
    private long _hubSequence;

    public TenantEventHubs(IGrainFactory grainFactory, IOptions<EdgeGatewayOptions> options, TimeProvider time,
        ILoggerFactory loggerFactory, IServiceProvider services)
    {
        _grainFactory = grainFactory;
        _options = options.Value;
        _time = time;
        _logger = loggerFactory.CreateLogger("OpenClaw.EdgeGateway.Events");
        _locations = services.GetService<IGrainLocationEvents>();
        if (_locations is not null) _locations.GrainsLost += OnGrainsLost;
    }

    /// <summary>Tenants with a hub here, for tests and diagnostics.</summary>
    internal int Count
    {
        get { lock (_lock) return _hubs.Count; }
    }

    /// <summary>Adds a socket to its tenant's hub, creating and starting the hub for the tenant's first socket.</summary>
    public TenantEventHub Join(string tenantId, string connectionId, ConnectionFrameWriter writer, ConnectionIdentity identity)
    {
        TenantEventHub hub;
        var created = false;
        lock (_lock)
        {
            if (!_hubs.TryGetValue(tenantId, out hub!))
            {
                var subscriberId = $"{_edgeId}/{++_hubSequence}";
                hub = new TenantEventHub(tenantId, subscriberId, _grainFactory, _options, _time, _logger);
                _hubs[tenantId] = hub;
                created = true;
            }
            hub.Add(connectionId, writer, identity);
        }
        if (created) hub.Start();
        return hub;
    }

    /// <summary>Removes a socket; the tenant's last socket stops the hub (unsubscribe bounded by <paramref name="timeout"/>).</summary>
    public Task LeaveAsync(TenantEventHub hub, string connectionId, TimeSpan timeout)
    {
        lock (_lock)
        {
            hub.Remove(connectionId);
            if (hub.MemberCount > 0 || hub.Removed) return Task.CompletedTask;
            hub.Removed = true;
            _hubs.Remove(hub.TenantId);
        }
        return hub.StopAsync(timeout);
    }

    /// <summary>Sockets of <paramref name="tenantId"/> in its hub here, for tests and diagnostics.</summary>
    internal int MembersOf(string tenantId)
    {
        lock (_lock) return _hubs.TryGetValue(tenantId, out var hub) ? hub.MemberCount : 0;
    }

    // Matched by key: tenant ids are the UserGrain keys. A lost grain of another type that happens
    // to share a tenant's key costs that tenant one needless renewal, nothing more.
    private void OnGrainsLost(IReadOnlyList<GrainId> grains)
    {
        foreach (var grainId in grains)
        {
            TenantEventHub? hub;
            lock (_lock) _hubs.TryGetValue(grainId.Key, out hub);
            hub?.Wake();
        }
    }

    public void Dispose()
    {
        if (_locations is not null) _locations.GrainsLost -= OnGrainsLost;
    }
}
