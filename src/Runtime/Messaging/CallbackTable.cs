using System.Collections.Concurrent;

namespace OpenClaw.Runtime;

/// <summary>
/// Caller-side tracking of calls sent to other processes: each gets a correlation id; the response
/// with that id completes it. A call whose deadline passes fails with
/// <see cref="GrainCallTimeoutException"/> (outcome unknown), and every call sent on a connection
/// that closes fails with <see cref="SiloUnavailableException"/> (outcome unknown too: the target may
/// have run it). Results are read with references bound to <see cref="Router"/>.
/// </summary>
internal sealed class CallbackTable(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, OutboundCall> _calls = new();
    private long _nextId;

    /// <summary>Binds grain references found in results; set once by the process's router.</summary>
    public IGrainCallRouter? Router { get; set; }

    public int Count => _calls.Count;

    /// <summary>Called with the grain and silo of every answered call (directory caches learn from it).</summary>
    public Action<GrainId, SiloAddress>? RanOnObserved { get; set; }

    public long Register(GrainMessage message, ClusterConnection connection, long deadlineTimestamp)
    {
        var id = Interlocked.Increment(ref _nextId);
        _calls[id] = new OutboundCall(message, connection, deadlineTimestamp);
        return id;
    }

    public void Remove(long id) => _calls.TryRemove(id, out _);

    public void OnResponse(long id, RemoteResponse response)
    {
        if (!_calls.TryRemove(id, out var call)) return; // timed out or failed meanwhile
        if (response.RanOn is { } ranOn) RanOnObserved?.Invoke(call.Message.Target, ranOn);
        if (Router is { } router)
        {
            using (GrainReferenceJson.Bind(router)) call.Message.CompleteRemote(response);
        }
        else
        {
            call.Message.CompleteRemote(response);
        }
    }

    /// <summary>Fails every call that was sent on <paramref name="connection"/>.</summary>
    public void FailConnection(ClusterConnection connection)
    {
        foreach (var (id, call) in _calls)
        {
            if (!ReferenceEquals(call.Connection, connection) || !_calls.TryRemove(id, out _)) continue;
            call.Message.Fail(new SiloUnavailableException(
                $"The connection to {connection.PeerDescription} was lost while {call.Message.Describe()} was in flight; its outcome is unknown."));
        }
    }

    /// <summary>Fails the calls whose deadline has passed.</summary>
    public void ExpireCalls()
    {
        var now = time.GetTimestamp();
        foreach (var (id, call) in _calls)
        {
            if (call.DeadlineTimestamp == 0 || now <= call.DeadlineTimestamp || !_calls.TryRemove(id, out _)) continue;
            call.Message.Fail(new GrainCallTimeoutException(
                $"{call.Message.Describe()} on {call.Message.Target} sent to {call.Connection.PeerDescription} got no answer in time; its outcome is unknown (it may have run or may still be running)."));
        }
    }

    private sealed record OutboundCall(GrainMessage Message, ClusterConnection Connection, long DeadlineTimestamp);
}
