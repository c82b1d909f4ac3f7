namespace OpenClaw.Runtime;

/// <summary>
/// Subscriptions of observers held by a grain. Subscriptions expire unless renewed (subscribers
/// re-subscribe periodically), and an observer whose call fails with
/// <see cref="ObserverNotFoundException"/> is dropped at once. While it has live subscribers the
/// owning activation counts as active and is not collected for idleness.
/// </summary>
public sealed class GrainObserverManager<TObserver> where TObserver : class, IGrainObserver
{
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public GrainObserverManager(Grain owner, TimeSpan expiration)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (expiration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(expiration), "Expiration must be positive.");
        Expiration = expiration;
        _time = owner.Context.TimeProvider;
        owner.Context.AddActivityProbe(() => Count > 0);
    }

    public TimeSpan Expiration { get; }

    /// <summary>Live subscriptions (expired ones are removed first).</summary>
    public int Count
    {
        get
        {
            RemoveExpired();
            return _subscriptions.Count;
        }
    }

    /// <summary>Adds or renews the subscription named <paramref name="id"/>.</summary>
    public void Subscribe(string id, TObserver observer)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(observer);
        _subscriptions[id] = new Subscription(observer, _time.GetUtcNow() + Expiration);
    }

    public bool Unsubscribe(string id) => _subscriptions.Remove(id);

    /// <summary>Calls <paramref name="notify"/> for every live observer; observers that are gone are dropped.</summary>
    public void Notify(Action<TObserver> notify)
    {
        RemoveExpired();
        List<string>? dead = null;
        foreach (var (id, subscription) in _subscriptions)
        {
            try { notify(subscription.Observer); }
            catch (ObserverNotFoundException) { (dead ??= []).Add(id); }
        }
        if (dead is not null) foreach (var id in dead) _subscriptions.Remove(id);
    }

    /// <summary>Awaits <paramref name="notify"/> for every live observer; observers whose call fails are dropped.</summary>
    public async Task NotifyAsync(Func<TObserver, Task> notify)
    {
        RemoveExpired();
        List<string>? dead = null;
        foreach (var (id, subscription) in _subscriptions.ToArray())
        {
            try { await notify(subscription.Observer); }
            catch (Exception) { (dead ??= []).Add(id); }
        }
        if (dead is not null) foreach (var id in dead) _subscriptions.Remove(id);
    }

    private void RemoveExpired()
    {
        if (_subscriptions.Count == 0) return;
        var now = _time.GetUtcNow();
        List<string>? expired = null;
        foreach (var (id, subscription) in _subscriptions)
            if (subscription.ExpiresAt <= now) (expired ??= []).Add(id);
        if (expired is not null) foreach (var id in expired) _subscriptions.Remove(id);
    }

    private readonly record struct Subscription(TObserver Observer, DateTimeOffset ExpiresAt);
}
