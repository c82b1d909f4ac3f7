using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Which sockets get a tenant event (AGENT.md §3, §5, §7, §9): the grain marks an event with an
/// audience, a required scope, caps one of which the socket must have sent, and caps that exclude a
/// socket; the edge applies them per socket. A node is a machine, not a viewer: it gets what is
/// addressed to it (<c>node.invoke.request</c>, <c>node.invoke.cancel</c>, <c>node.pair.resolved</c> …)
/// and, of the tenant-wide broadcasts, only those the real gateway was seen sending to its node
/// host; never chat, agent, presence or approval traffic.
/// </summary>
internal static class EventDeliveryRules
{
    /// <summary>Broadcasts (no audience) that node sockets receive too (the reference node host got <c>heartbeat</c>; <c>voicewake.*</c> go to nodes at connect).</summary>
    public static readonly IReadOnlySet<string> NodeBroadcastEvents = new HashSet<string>(StringComparer.Ordinal)
    {
        "heartbeat",
        "tick",
        "voicewake.changed",
        "voicewake.routing.changed",
    };

    /// <summary>
    /// Whether <paramref name="socket"/> gets <paramref name="tenantEvent"/>;
    /// <paramref name="addressed"/> is true when the event's audience names the socket.
    /// </summary>
    public static bool Accepts(ConnectionIdentity socket, TenantEvent tenantEvent, bool addressed)
    {
        if (socket.IsNode && !addressed && !NodeBroadcastEvents.Contains(tenantEvent.Event)) return false;
        if (!GatewayMethodCatalog.HasScope(socket.Scopes, tenantEvent.RequiredScope)) return false;
        if (tenantEvent.RequiredAnyCap is { } anyCap && !HasAny(socket, anyCap)) return false;
        if (tenantEvent.ExcludedCaps is { } excluded && HasAny(socket, excluded)) return false;
        return true;
    }

    /// <summary>
    /// Events addressed to a node go without <c>seq</c>, as the real gateway sends its targeted node
    /// frames; everything else carries the socket's next <c>seq</c>.
    /// </summary>
    public static bool Sequenced(ConnectionIdentity socket, bool addressed) => !(socket.IsNode && addressed);

    private static bool HasAny(ConnectionIdentity socket, IReadOnlyList<string> caps)
    {
        foreach (var cap in caps)
        {
            if (socket.HasCap(cap)) return true;
        }
        return false;
    }
}
