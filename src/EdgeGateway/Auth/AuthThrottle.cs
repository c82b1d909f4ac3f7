using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OpenClaw.EdgeGateway.Auth;

/// <summary>
/// Bounds token guessing without locking out the valid tenants that share a client address.
/// <list type="bullet">
/// <item>Each address (an IPv6 client by its /64) has a failure budget: a burst of
/// <see cref="EdgeGatewayOptions.AuthFailureBurst"/> failed connects, then one per
/// <see cref="EdgeGatewayOptions.AuthFailureIntervalMs"/> (a generic cell rate algorithm: the
/// budget refills at that rate, whatever happens in between). A failed connect uses a slot up; a
/// success never gives failures back.</item>
/// <item>A connect's token is checked only while the address's failures plus all its checks in
/// progress, each counted as if it will fail, fit that budget. So failures never exceed burst +
/// elapsed / interval, however many connects come at once or in which order: a guesser gets one
/// guess per interval, whether its guesses come one by one or in parallel.</item>
/// <item>The other connects wait in arrival order, holding no slot, and go on as soon as a slot is
/// free: at once when a check in progress succeeds (it gives its slot back), else when the budget
/// refills. So many valid clients behind one NAT connecting together are checked as fast as the
/// earlier ones succeed, and a valid tenant on the address of a guesser waits about one interval.</item>
/// <item>A connect is refused (AUTH_RATE_LIMITED with <c>retryAfterMs</c>) without being checked
/// when the failures alone leave no slot within <see cref="EdgeGatewayOptions.AuthMaxDelayMs"/>
/// of its arrival, when <see cref="MaxWaitingPerAddress"/> connects of its address already wait, or
/// when it has not got a slot by then; so the sockets one address keeps waiting stay bounded in
/// number and time.</item>
/// <item>Connects from addresses that failed within the last burst × interval (60 s by default),
/// and from any new address while <see cref="MaxTrackedAddresses"/> are tracked, also take a slot
/// of one edge-wide budget (<see cref="EdgeGatewayOptions.AuthGlobalFailureBurst"/>,
/// <see cref="EdgeGatewayOptions.AuthGlobalFailureIntervalMs"/>) when their address gives them one,
/// waiting for it if needed: spreading guesses over many addresses gains one guess per address per
/// 60 s on top of that budget, not a budget per address.</item>
/// </list>
/// </summary>
internal sealed class AuthThrottle(IOptions<EdgeGatewayOptions> options, TimeProvider time)
{
    internal const int MaxTrackedAddresses = 100_000;

    /// <summary>Connects of one address that may wait for a slot at once; more are refused.</summary>
    internal const int MaxWaitingPerAddress = 256;

    private readonly EdgeGatewayOptions _options = options.Value;
    private readonly Dictionary<string, AddressState> _addresses = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _globalTat;

    /// <summary>
    /// Reserves a check for a connect from <paramref name="clientAddress"/>, waiting for it when
    /// the address has no slot free. The caller reports the outcome on the returned permit.
    /// </summary>
    public async Task<AuthPermit> AcquireAsync(string clientAddress, CancellationToken cancellationToken)
    {
        var key = KeyOf(clientAddress);
        var deadline = NowMs() + _options.AuthMaxDelayMs;
        AddressState? state = null;
        LinkedListNode<long>? place = null; // this connect's place in its address's queue, once it waits
        AuthPermit permit;
        long globalWaitMs;
        try
        {
            while (true)
            {
                Task changed;
                long sleepMs;
                lock (_gate)
                {
                    var now = NowMs();
                    if (place is null) state = Track(key, now);
                    if (state is null || IsNext(state, place) && HasSlot(state, now))
                    {
                        var global = state is null || now - state.LastFailureMs < FailureMemoryMs;
                        globalWaitMs = global ? Wait(_globalTat, now, _options.AuthGlobalFailureBurst, _options.AuthGlobalFailureIntervalMs) : 0;
                        // Max(0, …): a connect that needs no wait is never refused because the clock ticked since it arrived.
                        if (globalWaitMs > Math.Max(0, deadline - now)) return Refuse(state, ref place, globalWaitMs, now);
                        if (global) _globalTat = Math.Max(_globalTat, now) + _options.AuthGlobalFailureIntervalMs;
                        if (state is not null) state.InFlight++;
                        Leave(state, ref place);
                        permit = new AuthPermit(this, state, global);
                        break;
                    }

                    var left = deadline - now;
                    if (left <= 0 || FailureWait(state, now) > left || place is null && state.Waiting.Count >= MaxWaitingPerAddress)
                    {
                        return Refuse(state, ref place, Math.Max(1, Wait(Pending(state, now), now, _options.AuthFailureBurst, _options.AuthFailureIntervalMs)), now);
                    }
                    place ??= state.Waiting.AddLast(deadline);
                    changed = state.WhenChanged();
                    // Only the first in line waits for the budget to refill; the others wait for their turn.
                    sleepMs = place == state.Waiting.First ? Math.Min(left, Wait(Pending(state, now), now, _options.AuthFailureBurst, _options.AuthFailureIntervalMs)) : left;
                }
                try
                {
                    await changed.WaitAsync(TimeSpan.FromMilliseconds(sleepMs), time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Time to look again: the budget refilled or the deadline passed.
                }
            }
        }
        finally
        {
            if (place is not null)
            {
                lock (_gate) Leave(state, ref place);
            }
        }

        if (globalWaitMs > 0)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(globalWaitMs), time, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The address's state, created if there is room for it; null when untracked.</summary>
    private AddressState? Track(string key, long now)
    {
        if (_addresses.TryGetValue(key, out var state)) return state;
        if (_addresses.Count >= MaxTrackedAddresses) Prune(now);
        if (_addresses.Count >= MaxTrackedAddresses) return null;
        state = new AddressState(key);
        _addresses[key] = state;
        return state;
    }

    /// <summary>Whether a connect (already waiting at <paramref name="place"/>, or new) is the next in line.</summary>
    private static bool IsNext(AddressState state, LinkedListNode<long>? place) =>
        place is null ? state.Waiting.Count == 0 : place == state.Waiting.First;

    /// <summary>Whether one more check fits when every check in progress fails.</summary>
    private bool HasSlot(AddressState state, long now) =>
        Wait(Pending(state, now), now, _options.AuthFailureBurst, _options.AuthFailureIntervalMs) == 0;

    /// <summary>The budget's theoretical arrival time if every check in progress fails.</summary>
    private long Pending(AddressState state, long now) => Math.Max(state.FailureTat, now) + state.InFlight * (long)_options.AuthFailureIntervalMs;

    /// <summary>How long the failures alone keep every slot used.</summary>
    private long FailureWait(AddressState state, long now) => Wait(state.FailureTat, now, _options.AuthFailureBurst, _options.AuthFailureIntervalMs);

    private AuthPermit Refuse(AddressState? state, ref LinkedListNode<long>? place, long retryAfterMs, long now)
    {
        Leave(state, ref place);
        if (state is not null) Forget(state, now);
        return AuthPermit.Refused(retryAfterMs);
    }

    /// <summary>Takes a connect out of the queue; the next one in line may go on.</summary>
    private static void Leave(AddressState? state, ref LinkedListNode<long>? place)
    {
        if (state is null || place is null) return;
        state.Waiting.Remove(place);
        place = null;
        state.Signal();
    }

    private void Settle(AddressState? state, bool global, bool failed)
    {
        lock (_gate)
        {
            var now = NowMs();
            if (global && !failed) _globalTat = Math.Max(now, _globalTat - _options.AuthGlobalFailureIntervalMs);
            if (state is null) return;
            state.InFlight--;
            if (failed)
            {
                state.FailureTat = Math.Max(state.FailureTat, now) + _options.AuthFailureIntervalMs;
                state.LastFailureMs = now;
            }
            state.Signal();
            Forget(state, now);
        }
    }

    private void Forget(AddressState state, long now)
    {
        if (IsIdle(state, now)) _addresses.Remove(state.Key);
    }

    private bool IsIdle(AddressState state, long now) =>
        state.InFlight == 0 && state.Waiting.Count == 0 && state.FailureTat <= now && now - state.LastFailureMs >= FailureMemoryMs;

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

    /// <summary>One address's budget, its checks in progress and its waiting connects (guarded by the throttle's lock).</summary>
    internal sealed class AddressState(string key)
    {
        private TaskCompletionSource? _changed;

        public string Key { get; } = key;

        /// <summary>Theoretical arrival time of the next slot counting failures only (GCRA), in Unix milliseconds.</summary>
        public long FailureTat { get; set; }

        public long LastFailureMs { get; set; } = long.MinValue / 2;

        /// <summary>Checks given a slot whose outcome is not known yet.</summary>
        public int InFlight { get; set; }

        /// <summary>Deadlines of the waiting connects, in arrival order.</summary>
        public LinkedList<long> Waiting { get; } = new();

        /// <summary>Completes at the next change of the checks in progress or the queue.</summary>
        public Task WhenChanged() => (_changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void Signal()
        {
            _changed?.TrySetResult();
            _changed = null;
        }
    }

    /// <summary>One reserved check. Exactly one of <see cref="Failed"/> or <see cref="Release"/> counts.</summary>
    internal sealed class AuthPermit
    {
        private readonly AuthThrottle? _owner;
        private readonly AddressState? _state;
        private readonly bool _global;
        private int _settled;

        internal AuthPermit(AuthThrottle owner, AddressState? state, bool global)
        {
            _owner = owner;
            _state = state;
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
            if (Interlocked.Exchange(ref _settled, 1) == 0) _owner?.Settle(_state, _global, failed: true);
        }

        /// <summary>The token was right (or could not be checked): the slot is given back.</summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref _settled, 1) == 0) _owner?.Settle(_state, _global, failed: false);
        }
    }
}
