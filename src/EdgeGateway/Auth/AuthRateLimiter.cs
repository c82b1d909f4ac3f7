using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OpenClaw.EdgeGateway.Auth;

/// <summary>
/// Throttles token guessing per client address: after <see cref="EdgeGatewayOptions.AuthFailureLimit"/>
/// failed attempts within <see cref="EdgeGatewayOptions.AuthFailureWindowMs"/> the address is
/// locked out for <see cref="EdgeGatewayOptions.AuthLockoutMs"/> (every connect answered
/// AUTH_RATE_LIMITED, even with a right token). A successful connect clears the address's failures.
/// The address is the connection's remote IP: behind a load balancer the host must enable
/// forwarded headers so that it is the client's, not the balancer's.
/// </summary>
internal sealed class AuthRateLimiter(IOptions<EdgeGatewayOptions> options, TimeProvider time)
{
    private const int PruneThreshold = 10_000;

    private readonly ConcurrentDictionary<string, ClientState> _clients = new(StringComparer.Ordinal);
    private readonly EdgeGatewayOptions _options = options.Value;

    /// <summary>True when <paramref name="clientKey"/> is locked out; <paramref name="retryAfterMs"/> says for how long.</summary>
    public bool IsLockedOut(string clientKey, out long retryAfterMs)
    {
        retryAfterMs = 0;
        if (!_clients.TryGetValue(clientKey, out var state)) return false;
        var now = NowMs();
        lock (state)
        {
            if (state.LockedUntilMs <= now) return false;
            retryAfterMs = state.LockedUntilMs - now;
            return true;
        }
    }

    /// <summary>Counts a failed attempt; returns true when it started a lockout.</summary>
    public bool RecordFailure(string clientKey)
    {
        if (_clients.Count > PruneThreshold) Prune();
        var state = _clients.GetOrAdd(clientKey, static _ => new ClientState());
        var now = NowMs();
        lock (state)
        {
            while (state.Failures.Count > 0 && now - state.Failures.Peek() >= _options.AuthFailureWindowMs) state.Failures.Dequeue();
            state.Failures.Enqueue(now);
            if (state.Failures.Count < _options.AuthFailureLimit) return false;
            state.Failures.Clear();
            state.LockedUntilMs = now + _options.AuthLockoutMs;
            return true;
        }
    }

    public void RecordSuccess(string clientKey) => _clients.TryRemove(clientKey, out _);

    private void Prune()
    {
        var now = NowMs();
        foreach (var (key, state) in _clients)
        {
            bool idle;
            lock (state)
            {
                idle = state.LockedUntilMs <= now && (state.Failures.Count == 0 || now - state.Failures.Peek() >= _options.AuthFailureWindowMs);
            }
            if (idle) _clients.TryRemove(new KeyValuePair<string, ClientState>(key, state));
        }
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class ClientState
    {
        public Queue<long> Failures { get; } = new();
        public long LockedUntilMs { get; set; }
    }
}
