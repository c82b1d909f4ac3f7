using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Tests.Fakes;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// The auth budget itself: per address, edge-wide, what a success gives back, and connects that
/// wait for a slot. The intervals of the waiting tests are ten minutes and the clock is only moved
/// by hand, so a connect that had to wait for an interval would miss the tests' deadlines.
/// </summary>
public sealed class AuthThrottleTests
{
    private const int LongIntervalMs = 600_000;
    private const int LongMaxDelayMs = 60_000;
    private const string Address = "10.0.0.1";

    /// <summary>Deadline of a condition (not a timing assert): generous for a slow shared machine.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ShiftableTimeProvider _time = new();

    private AuthThrottle Create(int burst = 3, int intervalMs = 60_000, int globalBurst = 20, int globalIntervalMs = 60_000, int maxDelayMs = 0) =>
        new(Options.Create(new EdgeGatewayOptions
        {
            AuthFailureBurst = burst,
            AuthFailureIntervalMs = intervalMs,
            AuthGlobalFailureBurst = globalBurst,
            AuthGlobalFailureIntervalMs = globalIntervalMs,
            AuthMaxDelayMs = maxDelayMs,
        }), _time);

    private static List<Task<AuthThrottle.AuthPermit>> StartConnects(AuthThrottle throttle, int count, CancellationToken cancellationToken = default) =>
        Enumerable.Range(0, count).Select(_ => throttle.AcquireAsync(Address, cancellationToken)).ToList();

    /// <summary>The load test's finding: valid clients behind one NAT reconnecting together were refused from the 11th on.</summary>
    [Fact]
    public async Task Fifty_valid_connects_at_once_from_one_address_all_go_through_as_earlier_ones_succeed()
    {
        var throttle = Create(burst: 10, intervalMs: LongIntervalMs, maxDelayMs: LongMaxDelayMs);

        var pending = StartConnects(throttle, 50);

        // Only the burst is checked at once; the others wait for a slot instead of being refused.
        Assert.Equal(10, pending.Count(t => t.IsCompleted));
        var succeeded = 0;
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).WaitAsync(Deadline);
            pending.Remove(done);
            var permit = await done;
            Assert.False(permit.IsRefused, $"refused after {succeeded} successes (retry after {permit.RetryAfterMs} ms)");
            succeeded++;
            permit.Release();
        }

        Assert.Equal(50, succeeded);
        Assert.Equal(TimeSpan.Zero, _time.Offset);
        Assert.Equal(0, throttle.TrackedAddresses);
    }

    [Fact]
    public async Task Two_hundred_parallel_guesses_get_the_burst_checked_and_the_rest_refused_unchecked()
    {
        var throttle = Create(burst: 10, intervalMs: LongIntervalMs, maxDelayMs: LongMaxDelayMs);

        var pending = StartConnects(throttle, 200);
        var checkedNow = pending.Where(t => t.IsCompletedSuccessfully && !t.Result.IsRefused).ToList();
        Assert.Equal(10, checkedNow.Count);
        foreach (var check in checkedNow) check.Result.Failed();

        // The failures put the next slot an interval away, beyond the longest wait.
        var rest = await Task.WhenAll(pending.Except(checkedNow)).WaitAsync(Deadline);
        Assert.All(rest, permit => Assert.True(permit.IsRefused));
        Assert.All(rest, permit => Assert.InRange(permit.RetryAfterMs, 1, LongIntervalMs));

        // One more guess per interval: the first is checked, the others wait for its outcome.
        _time.Offset += TimeSpan.FromMilliseconds(LongIntervalMs);
        var later = StartConnects(throttle, 200);
        Assert.True(later[0].IsCompletedSuccessfully && !later[0].Result.IsRefused);
        later[0].Result.Failed();
        var laterRest = await Task.WhenAll(later.Skip(1)).WaitAsync(Deadline);
        Assert.All(laterRest, permit => Assert.True(permit.IsRefused));
    }

    [Fact]
    public async Task Sequential_guesses_get_the_burst_then_one_per_interval()
    {
        var throttle = Create(burst: 10, intervalMs: LongIntervalMs, maxDelayMs: LongMaxDelayMs);

        Assert.Equal(10, await GuessAsync(throttle, 200));
        _time.Offset += TimeSpan.FromMilliseconds(3L * LongIntervalMs);
        Assert.Equal(3, await GuessAsync(throttle, 200));
    }

    [Fact]
    public async Task A_success_in_progress_lets_one_waiting_connect_through_and_failures_refuse_the_rest()
    {
        var throttle = Create(burst: 3, intervalMs: LongIntervalMs, maxDelayMs: LongMaxDelayMs);
        var pending = StartConnects(throttle, 5);
        Assert.Equal(3, pending.Count(t => t.IsCompleted));

        (await pending[0]).Release();
        var fourth = await pending[3].WaitAsync(Deadline);
        Assert.False(fourth.IsRefused);
        Assert.False(pending[4].IsCompleted);

        (await pending[1]).Failed();
        (await pending[2]).Failed();
        Assert.False(pending[4].IsCompleted);
        fourth.Failed();

        // Three failures use up the burst: the last one is refused without a check.
        Assert.True((await pending[4].WaitAsync(Deadline)).IsRefused);
    }

    /// <summary>Finding 3 again, in parallel: a right token among the guesses never frees a guess.</summary>
    [Fact]
    public async Task Nine_wrong_and_one_right_in_parallel_still_get_one_guess_per_interval_after_the_burst()
    {
        var throttle = Create(burst: 10, intervalMs: LongIntervalMs, maxDelayMs: LongMaxDelayMs);

        var checkedGuesses = 0;
        for (var round = 0; round < 5; round++) checkedGuesses += await NineWrongAndOneRightAsync(throttle);
        Assert.Equal(10, checkedGuesses);

        _time.Offset += TimeSpan.FromMilliseconds(LongIntervalMs);
        Assert.Equal(1, await NineWrongAndOneRightAsync(throttle));
    }

    [Fact]
    public async Task Connects_waiting_on_one_address_are_bounded()
    {
        var throttle = Create(burst: 2, intervalMs: LongIntervalMs, maxDelayMs: LongMaxDelayMs);

        var pending = StartConnects(throttle, 2 + AuthThrottle.MaxWaitingPerAddress + 3);

        var refused = pending.Where(t => t.IsCompletedSuccessfully && t.Result.IsRefused).ToList();
        Assert.Equal(3, refused.Count);
        foreach (var permit in await Task.WhenAll(pending.Except(refused).Take(2)).WaitAsync(Deadline)) permit.Release();
        foreach (var waiting in pending.Except(refused).Skip(2))
        {
            var permit = await waiting.WaitAsync(Deadline);
            Assert.False(permit.IsRefused);
            permit.Release();
        }
        Assert.Equal(0, throttle.TrackedAddresses);
    }

    [Fact]
    public async Task A_cancelled_waiting_connect_gives_its_place_up()
    {
        var throttle = Create(burst: 1, intervalMs: LongIntervalMs, maxDelayMs: LongMaxDelayMs);
        using var cancel = new CancellationTokenSource();
        var first = await throttle.AcquireAsync(Address, CancellationToken.None);
        var cancelled = throttle.AcquireAsync(Address, cancel.Token);
        var next = throttle.AcquireAsync(Address, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Deadline));
        first.Release();

        var permit = await next.WaitAsync(Deadline);
        Assert.False(permit.IsRefused);
        permit.Release();
        Assert.Equal(0, throttle.TrackedAddresses);
    }

    [Fact]
    public async Task A_connect_waits_for_the_failures_budget_to_refill_instead_of_being_refused()
    {
        // A short real interval: the waiting connect is woken by its timer, not by another connect.
        var throttle = Create(burst: 1, intervalMs: 200, maxDelayMs: LongMaxDelayMs);
        (await throttle.AcquireAsync(Address, CancellationToken.None)).Failed();

        var permit = await throttle.AcquireAsync(Address, CancellationToken.None).WaitAsync(Deadline);

        Assert.False(permit.IsRefused);
        permit.Release();
    }

    /// <summary>Sends <paramref name="count"/> wrong tokens one after the other; returns how many were checked.</summary>
    private static async Task<int> GuessAsync(AuthThrottle throttle, int count)
    {
        var checkedGuesses = 0;
        for (var i = 0; i < count; i++)
        {
            var permit = await throttle.AcquireAsync(Address, CancellationToken.None).WaitAsync(Deadline);
            if (permit.IsRefused) continue;
            checkedGuesses++;
            permit.Failed();
        }
        return checkedGuesses;
    }

    /// <summary>Ten connects at once, the last with the right token; returns how many wrong ones were checked.</summary>
    private static async Task<int> NineWrongAndOneRightAsync(AuthThrottle throttle)
    {
        var checkedGuesses = 0;
        var pending = StartConnects(throttle, 10);
        // Waiting connects go through in arrival order, so settling in that order never waits on a later one.
        for (var i = 0; i < pending.Count; i++)
        {
            var permit = await pending[i].WaitAsync(Deadline);
            if (permit.IsRefused) continue;
            if (i == 9)
            {
                permit.Release();
                continue;
            }
            checkedGuesses++;
            permit.Failed();
        }
        return checkedGuesses;
    }

    [Fact]
    public async Task Spreading_guesses_over_many_addresses_gains_one_guess_per_address_then_the_edge_wide_budget()
    {
        var throttle = Create();
        var addresses = Enumerable.Range(1, 200).Select(i => $"127.0.{i / 250}.{i % 250 + 1}").ToList();

        foreach (var address in addresses) (await throttle.AcquireAsync(address, CancellationToken.None)).Failed();
        var secondRound = 0;
        foreach (var address in addresses)
        {
            var permit = await throttle.AcquireAsync(address, CancellationToken.None);
            if (permit.IsRefused) continue;
            secondRound++;
            permit.Failed();
        }

        Assert.Equal(20, secondRound);
    }

    [Fact]
    public async Task A_success_gives_its_slot_back_but_never_clears_failures()
    {
        var throttle = Create(burst: 3);

        for (var round = 0; round < 3; round++)
        {
            (await throttle.AcquireAsync("10.0.0.1", CancellationToken.None)).Failed();
            (await throttle.AcquireAsync("10.0.0.1", CancellationToken.None)).Release();
        }

        Assert.True((await throttle.AcquireAsync("10.0.0.1", CancellationToken.None)).IsRefused);
    }

    [Fact]
    public async Task An_ipv6_client_is_one_address_for_its_whole_64_prefix()
    {
        var throttle = Create(burst: 2);

        (await throttle.AcquireAsync("2001:db8:1:2::1", CancellationToken.None)).Failed();
        (await throttle.AcquireAsync("2001:db8:1:2::ffff", CancellationToken.None)).Failed();

        Assert.True((await throttle.AcquireAsync("2001:db8:1:2:aaaa::3", CancellationToken.None)).IsRefused);
        Assert.False((await throttle.AcquireAsync("2001:db8:1:3::1", CancellationToken.None)).IsRefused);
    }

    [Fact]
    public async Task Successful_addresses_are_not_kept()
    {
        var throttle = Create();

        for (var i = 0; i < 100; i++) (await throttle.AcquireAsync($"10.1.0.{i}", CancellationToken.None)).Release();

        Assert.Equal(0, throttle.TrackedAddresses);
    }
}
