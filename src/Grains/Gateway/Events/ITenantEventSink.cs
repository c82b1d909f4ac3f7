using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>Where the gateway handlers send the tenant's protocol events.</summary>
internal interface ITenantEventSink
{
    /// <summary>To every connection of the tenant (<c>chat</c>, <c>agent</c>, …).</summary>
    void Publish(TenantEvent tenantEvent);

    /// <summary>
    /// Only to connections that called <c>sessions.subscribe</c> (<c>sessions.changed</c>,
    /// <c>session.message</c>), as the reference gateway does.
    /// </summary>
    void PublishToSessionSubscribers(TenantEvent tenantEvent);

    /// <summary>Starts (true) or stops (false) session events for a connection.</summary>
    void SetSessionSubscription(string connectionId, bool subscribed);
}
