using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// What each tenant holds on this edge across all its sockets: sockets, requests in flight, and
/// bytes (request frames being processed plus responses and events queued to send). Each socket
/// takes a <see cref="TenantLease"/>; a tenant's entry exists only while it has a socket.
/// </summary>
internal sealed class TenantLoadRegistry(IOptions<EdgeGatewayOptions> options)
{
    private readonly ConcurrentDictionary<string, TenantLoad> _tenants = new(StringComparer.Ordinal);
    private readonly EdgeGatewayOptions _options = options.Value;

    /// <summary>A lease for one more socket of <paramref name="tenantId"/>, or null when the tenant has <see cref="EdgeGatewayOptions.MaxConnectionsPerTenant"/> already.</summary>
    public TenantLease? TryOpen(string tenantId)
    {
        while (true)
        {
            var load = _tenants.GetOrAdd(tenantId, static _ => new TenantLoad());
            lock (load)
            {
                if (load.Removed) continue;
                if (load.Leases.Count >= _options.MaxConnectionsPerTenant) return null;
                var lease = new TenantLease(this, tenantId, load, _options);
                load.Leases.Add(lease);
                return lease;
            }
        }
    }

    /// <summary>The tenant's totals, for tests and diagnostics: (sockets, requests, bytes).</summary>
    internal (int Sockets, int Requests, long Bytes) Totals(string tenantId)
    {
        if (!_tenants.TryGetValue(tenantId, out var load)) return (0, 0, 0);
        lock (load) return (load.Leases.Count, load.Requests, load.Bytes);
    }

    internal void Forget(string tenantId, TenantLoad load) =>
        _tenants.TryRemove(new KeyValuePair<string, TenantLoad>(tenantId, load));
}

/// <summary>One tenant's totals; guarded by locking the instance.</summary>
internal sealed class TenantLoad
{
    public List<TenantLease> Leases { get; } = [];
    public int Requests { get; set; }
    public long Bytes { get; set; }
    public bool Removed { get; set; }
}
