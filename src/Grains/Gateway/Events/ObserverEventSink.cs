using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's event subscribers, held in a <see cref="GrainObserverManager{TObserver}"/> (expiring
/// subscriptions; dead observers dropped; keeps the activation alive while it has subscribers). A
/// subscriber is an edge process, not a socket: each event is sent once per edge, which fans it out
/// to the tenant's sockets there. Which sockets asked for session events with
/// <c>sessions.subscribe</c> is kept here by connection id and sent along as the event's audience.
/// </summary>
internal sealed class ObserverEventSink : ITenantEventSink
{
    /// <summary>
    /// Bound on remembered session-event connections: an edge that died never says its sockets
    /// closed. Far above the sockets one tenant may hold; the oldest entry goes first.
    /// </summary>
    internal const int MaxSessionSubscribers = 4096;

    private readonly GrainObserverManager<ConnectionObserver> _observers;
    private readonly Dictionary<string, long> _sessionSubscribers = new(StringComparer.Ordinal);
    private readonly string _tenantId;
    private readonly ILogger _logger;
    private long _sessionSubscriptionOrder;

    public ObserverEventSink(Grain owner, TimeSpan expiration, string tenantId, ILogger logger)
    {
        _observers = new GrainObserverManager<ConnectionObserver>(owner, expiration);
        _tenantId = tenantId;
        _logger = logger;
    }

    public int Count => _observers.Count;

    public void Subscribe(string subscriberId, ITenantEventObserver observer) =>
        _observers.Subscribe(subscriberId, new ConnectionObserver(subscriberId, observer, _tenantId, _logger));

    public void Unsubscribe(string id)
    {
        _observers.Unsubscribe(id);
        _sessionSubscribers.Remove(id);
        if (_observers.Count == 0) _sessionSubscribers.Clear();
    }

    public void Publish(TenantEvent tenantEvent) => _observers.Notify(observer => observer.OnEvent(tenantEvent));

    public void PublishToSessionSubscribers(TenantEvent tenantEvent)
    {
        if (_sessionSubscribers.Count == 0) return;
        Publish(tenantEvent with { Audience = [.. _sessionSubscribers.Keys] });
    }

    /// <summary>Tells every subscriber that this activation is ending, so that edges with sockets subscribe again.</summary>
    public void PublishActivationEnding() =>
        Publish(new TenantEvent(TenantEventSubscription.ResubscribeEvent, "{}"));

    public void SetSessionSubscription(string connectionId, bool subscribed)
    {
        if (!subscribed)
        {
            _sessionSubscribers.Remove(connectionId);
            return;
        }

        _sessionSubscribers[connectionId] = ++_sessionSubscriptionOrder;
        if (_sessionSubscribers.Count > MaxSessionSubscribers)
        {
            var oldest = _sessionSubscribers.MinBy(entry => entry.Value).Key;
            _sessionSubscribers.Remove(oldest);
        }
    }
}
