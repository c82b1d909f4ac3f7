using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// One connection's observer as the grain keeps it: remembers the connection id (to target
/// session events) and contains delivery failures other than "observer gone", so that one broken
/// connection never stops an event from reaching the others.
/// </summary>
internal sealed class ConnectionObserver(string connectionId, ITenantEventObserver observer, string tenantId, ILogger logger)
    : ITenantEventObserver
{
    public string ConnectionId { get; } = connectionId;

    public void OnEvent(TenantEvent tenantEvent)
    {
        try
        {
            observer.OnEvent(tenantEvent);
        }
        catch (ObserverNotFoundException)
        {
            throw; // the observer manager drops this subscription
        }
        catch (Exception exception)
        {
            UserGrainLog.EventDeliveryFailed(logger, tenantId, tenantEvent.Event, ConnectionId, exception);
        }
    }
}
