using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OpenClaw.EdgeGateway.Auth;

/// <summary>
/// Bounds token guessing without locking out the valid tenants that share a client address.
/// <list type="bullet">
/// <item>Each address (an IPv6 client by its /64) has a failure budget: a burst of
/// <see cref="EdgeGatewayOptions.AuthFailureBurst"/> failed connects, then one checked connect per
/// <see cref="EdgeGatewayOptions.AuthFailureIntervalMs"/> (a generic cell rate algorithm: the
/// budget refills at that rate, whatever happens in between).</item>
/// <item>Every connect reserves a slot before its token is checked, waiting for it when the
/// address is over budget; a failed connect keeps the slot, a successful one gives it back. So a
/// success never clears failures, a guesser gets one guess per interval, and a valid tenant on
/// the same address waits at most about one interval instead of being refused.</item>
/// <item>A connect that would wait more than <see cref="EdgeGatewayOptions.AuthMaxDelayMs"/> is
/// refused at once (AUTH_RATE_LIMITED with the wait as <c>retryAfterMs</c>) without being
/// checked, which bounds the sockets one address can keep waiting.</item>
/// <item>Connects from addresses that failed within the last burst × interval (60 s by default),
/// and from any new address while <see cref="MaxTrackedAddresses"/> are tracked, also take a slot
/// of one edge-wide budget (<see cref="EdgeGatewayOptions.AuthGlobalFailureBurst"/>,
/// <see cref="EdgeGatewayOptions.AuthGlobalFailureIntervalMs"/>): spreading guesses over many
/// addresses gains one guess per address per 60 s on top of that budget, not a budget per address.</item>
/// </list>
/// </summary>
internal sealed class AuthThrottle(IOptions<EdgeGatewayOptions> options, TimeProvider time)
{
    internal const int MaxTrackedAddresses = 100_000;
    internal const int MaxWaitingPerAddress = 256;

    private readonly EdgeGatewayOptions _options = options.Value;
    private readonly Dictionary<string, AddressState> _addresses = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _globalTat;

    /// <summary>
    /// Reserves a check for a connect from <paramref name="clientAddress"/>, waiting for it when
    /// the address is over budget. The caller reports the outcome on the returned permit.
    /// </summary>
    public async Task<AuthPermit> AcquireAsync(string clientAddress, CancellationToken cancellationToken)
    {
        var key = KeyOf(clientAddress);
        long waitMs;
        bool global;
        lock (_gate)
        {
            var now = NowMs();
            var tracked = _addresses.TryGetValue(key, out var state);
            if (!tracked && _addresses.Count >= MaxTrackedAddresses) Prune(now);
            if (!tracked && _addresses.Count < MaxTrackedAddresses)
            {
                state = new AddressState { LastFailureMs = long.MinValue / 2 };
                _addresses[key] = state;
            }
            global = state is null || now - state.LastFailureMs < FailureMemoryMs;

            var addressWait = state is null ? 0 : Wait(state.Tat, now, _options.AuthFailureBurst, _options.AuthFailureIntervalMs);
            var globalWait = global ? Wait(_globalTat, now, _options.AuthGlobalFailureBurst, _options.AuthGlobalFailureIntervalMs) : 0;
            waitMs = Math.Max(addressWait, globalWait);
            if (waitMs > _options.AuthMaxDelayMs)
            {
                if (!tracked && state is not null) _addresses.Remove(key);
                return AuthPermit.Refused(waitMs);
            }

            if (state is not null) state.Tat = Math.Max(state.Tat, now) + _options.AuthFailureIntervalMs;
            if (global) _globalTat = Math.Max(_globalTat, now) + _options.AuthGlobalFailureIntervalMs;
        }

        var permit = new AuthPermit(this, key, global);
        if (waitMs > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(waitMs), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                permit.Release();
                throw;
            }
        }
        return permit;
    }

    /// <summary>How long an address counts as failing after its last failure (and so takes edge-wide slots).</summary>
    private long FailureMemoryMs => (long)_options.AuthFailureBurst * _options.AuthFailureIntervalMs;

    internal int TrackedAddresses
    {
        get
        {
            lock (_gate) return _addresses.Count;
        }
    }

    private void RecordFailure(string key)
    {
        lock (_gate)
        {
            if (_addresses.TryGetValue(key, out var state)) state.LastFailureMs = NowMs();
        }
    }

    /// <summary>Gives a slot back (the connect did not fail on its token).</summary>
    private void Refund(string key, bool global)
    {
        lock (_gate)
        {
            var now = NowMs();
            if (_addresses.TryGetValue(key, out var state))
            {
                state.Tat = Math.Max(now, state.Tat - _options.AuthFailureIntervalMs);
                if (IsIdle(state, now)) _addresses.Remove(key);
            }
            if (global) _globalTat = Math.Max(now, _globalTat - _options.AuthGlobalFailureIntervalMs);
        }
    }

    private bool IsIdle(AddressState state, long now) => state.Tat <= now && now - state.LastFailureMs >= FailureMemoryMs;

    /// <summary>How long a new reservation must wait: zero while the burst is not used up.</summary>
    private static long Wait(long tat, long now, int burst, int intervalMs)
    {
        var tolerance = (long)(burst - 1) * intervalMs;
        return Math.Max(0, tat - now - tolerance);
    }

    private void Prune(long now)
    {
        foreach (var (key, state) in _addresses)
        {
            if (IsIdle(state, now)) _addresses.Remove(key);
        }
    }

    private long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>IPv4 addresses are keys as they are; an IPv6 address counts as its /64 (one client's usual allocation).</summary>
    internal static string KeyOf(string clientAddress)
    {
        if (!IPAddress.TryParse(clientAddress, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6) return clientAddress;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }

    private sealed class AddressState
    {
        /// <summary>Theoretical arrival time of the next slot (GCRA), in Unix milliseconds.</summary>
        public long Tat { get; set; }

        public long LastFailureMs { get; set; }
    }

    /// <summary>One reserved check. Exactly one of <see cref="Failed"/> or <see cref="Release"/> counts.</summary>
    internal sealed class AuthPermit
    {
        private readonly AuthThrottle? _owner;
        private readonly string _key = "";
        private readonly bool _global;
        private int _settled;

        internal AuthPermit(AuthThrottle owner, string key, bool global)
        {
            _owner = owner;
            _key = key;
            _global = global;
        }

        private AuthPermit(long retryAfterMs)
        {
            RetryAfterMs = retryAfterMs;
            _settled = 1;
        }

        public static AuthPermit Refused(long retryAfterMs) => new(retryAfterMs);

        /// <summary>True when the connect must be refused with AUTH_RATE_LIMITED without checking its token.</summary>
        public bool IsRefused => _owner is null;

        public long RetryAfterMs { get; }

        /// <summary>The token was wrong or missing: the slot stays used.</summary>
        public void Failed()
        {
            if (Interlocked.Exchange(ref _settled, 1) == 0) _owner?.RecordFailure(_key);
        }

        /// <summary>The token was right (or could not be checked): the slot is given back.</summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref _settled, 1) == 0) _owner?.Refund(_key, _global);
        }
    }
}
