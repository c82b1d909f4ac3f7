using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// The socket's end of its tenant's event stream: the grain calls <see cref="OnEvent"/> (one-way)
/// and the event is queued for this socket, which adds the next <c>seq</c>. Each socket
/// subscribes only to its own tenant's grain, so events never cross tenants.
/// </summary>
internal sealed class TenantEventObserver(ConnectionFrameWriter writer) : ITenantEventObserver
{
    public void OnEvent(TenantEvent tenantEvent)
    {
        if (tenantEvent is null || string.IsNullOrEmpty(tenantEvent.Event)) return;
        // The challenge belongs to the handshake; nobody else may send it.
        if (tenantEvent.Event == ProtocolConstants.ChallengeEvent) return;
        writer.TryEnqueueEvent(tenantEvent.Event, tenantEvent.PayloadJson, sequenced: true);
    }
}
