using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's connections, held in a <see cref="GrainObserverManager{TObserver}"/> (expiring
/// subscriptions; dead observers dropped; keeps the activation alive while it has subscribers),
/// plus which of them asked for session events with <c>sessions.subscribe</c>.
/// </summary>
internal sealed class ObserverEventSink : ITenantEventSink
{
    private const int PruneThreshold = 256;

    private readonly GrainObserverManager<ConnectionObserver> _observers;
    private readonly HashSet<string> _sessionSubscribers = new(StringComparer.Ordinal);
    private readonly string _tenantId;
    private readonly ILogger _logger;

    public ObserverEventSink(Grain owner, TimeSpan expiration, string tenantId, ILogger logger)
    {
        _observers = new GrainObserverManager<ConnectionObserver>(owner, expiration);
        _tenantId = tenantId;
        _logger = logger;
    }

    public int Count => _observers.Count;

    public void Subscribe(string connectionId, ITenantEventObserver observer) =>
        _observers.Subscribe(connectionId, new ConnectionObserver(connectionId, observer, _tenantId, _logger));

    public void Unsubscribe(string connectionId)
    {
        _observers.Unsubscribe(connectionId);
        _sessionSubscribers.Remove(connectionId);
    }

    public void Publish(TenantEvent tenantEvent) => _observers.Notify(observer => observer.OnEvent(tenantEvent));

    public void PublishToSessionSubscribers(TenantEvent tenantEvent)
    {
        if (_sessionSubscribers.Count == 0)
        {
            return;
        }

        var live = _sessionSubscribers.Count > PruneThreshold ? new HashSet<string>(StringComparer.Ordinal) : null;
        _observers.Notify(observer =>
        {
            live?.Add(observer.ConnectionId);
            if (_sessionSubscribers.Contains(observer.ConnectionId))
            {
                observer.OnEvent(tenantEvent);
            }
        });

        // Connections that went away without unsubscribing.
        if (live is not null)
        {
            _sessionSubscribers.IntersectWith(live);
        }
    }

    public void SetSessionSubscription(string connectionId, bool subscribed)
    {
        if (subscribed)
        {
            _sessionSubscribers.Add(connectionId);
        }
        else
        {
            _sessionSubscribers.Remove(connectionId);
        }
    }
}
