using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Tests.Fakes;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>The auth budget itself: per address, edge-wide, and what a success gives back.</summary>
public sealed class AuthThrottleTests
{
    private readonly ShiftableTimeProvider _time = new();

    private AuthThrottle Create(int burst = 3, int intervalMs = 60_000, int globalBurst = 20, int globalIntervalMs = 60_000) =>
        new(Options.Create(new EdgeGatewayOptions
        {
            AuthFailureBurst = burst,
            AuthFailureIntervalMs = intervalMs,
            AuthGlobalFailureBurst = globalBurst,
            AuthGlobalFailureIntervalMs = globalIntervalMs,
            AuthMaxDelayMs = 0,
        }), _time);

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
