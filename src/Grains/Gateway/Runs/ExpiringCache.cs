namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A small string-keyed cache whose entries expire after a fixed time and whose size is capped
/// (oldest first out). Used for idempotency keys and recent run outcomes. Not thread-safe: it
/// lives in one activation.
/// </summary>
internal sealed class ExpiringCache<TValue>(TimeSpan lifetime, int maxEntries, TimeProvider time)
{
    private readonly Dictionary<string, (TValue Value, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset ExpiresAt)> _order = new();

    public int Count
    {
        get
        {
            Purge();
            return _entries.Count;
        }
    }

    public bool TryGet(string key, out TValue value)
    {
        Purge();
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value) => Set(key, value, time.GetUtcNow() + lifetime);

    /// <summary>Keeps <paramref name="value"/> until <paramref name="expiresAt"/> (an entry restored from storage keeps its first expiry).</summary>
    public void Set(string key, TValue value, DateTimeOffset expiresAt)
    {
        Purge();
        if (expiresAt <= time.GetUtcNow())
        {
            return;
        }

        _entries[key] = (value, expiresAt);
        _order.Enqueue((key, expiresAt));
        while (_entries.Count > maxEntries && _order.TryDequeue(out var oldest))
        {
            RemoveIfCurrent(oldest.Key, oldest.ExpiresAt);
        }
    }

    private void Purge()
    {
        var now = time.GetUtcNow();
        while (_order.TryPeek(out var oldest) && oldest.ExpiresAt <= now)
        {
            _order.Dequeue();
            RemoveIfCurrent(oldest.Key, oldest.ExpiresAt);
        }
    }

    /// <summary>Removes the entry only if it was not set again since this queue item was written.</summary>
    private void RemoveIfCurrent(string key, DateTimeOffset expiresAt)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt == expiresAt)
        {
            _entries.Remove(key);
        }
    }
}
