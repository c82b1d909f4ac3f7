namespace OpenClaw.Grains.Nodes;

/// <summary>
/// The exec runs sent to nodes and not finished yet, so that a node's <c>exec.started</c> /
/// <c>exec.finished</c> / <c>exec.denied</c> event can be matched to one: by the <c>runId</c> it was
/// given, its <c>sessionKey</c> and the socket it was sent to.
/// </summary>
internal sealed class ActiveExecs
{
    private readonly Dictionary<string, Entry> _runs = new(StringComparer.Ordinal);

    public void Add(string runId, string sessionKey, string connectionId) => _runs[runId] = new Entry(sessionKey, connectionId);

    public void Remove(string runId) => _runs.Remove(runId);

    /// <summary>Records an event of the node on <paramref name="connectionId"/>; false when it matches no exec of that node.</summary>
    public bool Match(string connectionId, string? runId, string? sessionKey, string eventName)
    {
        if (runId is null || !_runs.TryGetValue(runId, out var entry) || entry.ConnectionId != connectionId
            || (sessionKey is not null && sessionKey != entry.SessionKey))
        {
            return false;
        }

        entry.LastEvent = eventName;
        return true;
    }

    public string? LastEvent(string runId) => _runs.GetValueOrDefault(runId)?.LastEvent;

    private sealed class Entry(string sessionKey, string connectionId)
    {
        public string SessionKey { get; } = sessionKey;
        public string ConnectionId { get; } = connectionId;
        public string? LastEvent { get; set; }
    }
}
