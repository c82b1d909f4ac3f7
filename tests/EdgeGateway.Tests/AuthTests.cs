using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>Tenant token auth: mismatch shape, throttling, revocation, store outages, no tokens in logs.</summary>
public sealed class AuthTests
{
    private const string MismatchMessage = "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)";

    [Fact]
    public async Task Wrong_token_gets_the_exact_mismatch_error_and_close_1008()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var response = await client.SendConnectAsync(ConnectRequests.Params("secret-wrong"));
        var (status, reason) = await client.ClosedAsync();

        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.False(response.TryGetProperty("payload", out _));
        var error = response.GetProperty("error");
        Assert.Equal("INVALID_REQUEST", error.GetProperty("code").GetString());
        Assert.Equal(MismatchMessage, error.GetProperty("message").GetString());
        var details = error.GetProperty("details");
        Assert.Equal("AUTH_TOKEN_MISMATCH", details.GetProperty("code").GetString());
        Assert.Equal("token_mismatch", details.GetProperty("authReason").GetString());
        Assert.False(details.GetProperty("canRetryWithDeviceToken").GetBoolean());
        Assert.Equal("update_auth_credentials", details.GetProperty("recommendedNextStep").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal(MismatchMessage, reason);

        // Same error object as the real gateway's (reference transcript, conn 5).
        var reference = ReferenceFrames.ConnectResponse(5);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(reference.GetProperty("error").GetRawText()), JsonNode.Parse(error.GetRawText())));
        var referenceClose = ReferenceFrames.Line(5, "close-by-server");
        Assert.Equal(referenceClose.GetProperty("code").GetInt32(), (int)status!);
        Assert.Equal(referenceClose.GetProperty("reason").GetString(), reason);
    }

    [Fact]
    public async Task Missing_token_is_a_mismatch_too()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var response = await client.SendConnectAsync(ConnectRequests.Params(token: null));
        var (status, _) = await client.ClosedAsync();

        Assert.Equal("AUTH_TOKEN_MISMATCH", response.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Fact]
    public async Task Token_in_auth_password_is_accepted()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var parameters = ConnectRequests.Params(token: null);
        parameters["auth"] = new JsonObject { ["password"] = EdgeTestServer.TokenB };

        var response = await client.SendConnectAsync(parameters);
        var health = await client.CallAsync("health");

        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.Equal(EdgeTestServer.TenantB, health.GetProperty("payload").GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task Repeated_failures_from_one_address_are_rate_limited()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["AuthFailureBurst"] = "3",
            ["AuthFailureIntervalMs"] = "60000",
        });

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var mismatch = await AttemptAsync(server, "guess-" + attempt);
            Assert.Equal("AUTH_TOKEN_MISMATCH", mismatch.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        }

        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var response = await client.SendConnectAsync(ConnectRequests.Params("guess-3"));
        var (status, reason) = await client.ClosedAsync();

        var error = response.GetProperty("error");
        Assert.Equal("INVALID_REQUEST", error.GetProperty("code").GetString());
        Assert.Equal("AUTH_RATE_LIMITED", error.GetProperty("details").GetProperty("code").GetString());
        var retryAfter = error.GetProperty("retryAfterMs").GetInt64();
        Assert.InRange(retryAfter, 1, 60_000);
        Assert.Equal(retryAfter, error.GetProperty("details").GetProperty("retryAfterMs").GetInt64());
        Assert.True(error.GetProperty("retryable").GetBoolean());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.StartsWith("unauthorized:", reason);
        // The refused attempt was not even looked up.
        Assert.Equal(3, server.Tenants.Lookups);
    }

    /// <summary>Finding 3: a success used to clear the address's failures, so 9 wrong + 1 right could be repeated forever.</summary>
    [Fact]
    public async Task Nine_wrong_and_one_right_repeated_cannot_guess_without_limit()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["AuthFailureIntervalMs"] = "600000",
        });

        var checkedGuesses = 0;
        for (var round = 0; round < 5; round++)
        {
            for (var guess = 0; guess < 9; guess++)
            {
                var response = await AttemptAsync(server, $"guess-{round}-{guess}");
                var code = response.GetProperty("error").GetProperty("details").GetProperty("code").GetString();
                if (code == "AUTH_TOKEN_MISMATCH") checkedGuesses++;
                else Assert.Equal("AUTH_RATE_LIMITED", code);
            }
            await AttemptAsync(server, EdgeTestServer.TokenA);
        }

        // The default burst (10 failures), then nothing until the interval passes: not 45 guesses.
        Assert.Equal(10, checkedGuesses);
    }

    [Fact]
    public async Task A_valid_tenant_on_the_address_of_a_guesser_still_connects()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["AuthFailureBurst"] = "3",
            ["AuthFailureIntervalMs"] = "200",
        });
        using var stop = new CancellationTokenSource();
        var guesses = 0;
        var guesserAnswers = new List<string?>();
        var guesser = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested || guesses < 12)
            {
                var response = await AttemptAsync(server, "guess-" + guesses++);
                lock (guesserAnswers) guesserAnswers.Add(response.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
            }
        });
        await TenantLimitTests.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref guesses) >= 12 || guesser.IsCompleted), timeoutSeconds: 30);

        for (var i = 0; i < 3; i++)
        {
            var (client, hello) = await server.ConnectAsync();
            await using var clientScope = client;
            Assert.True(hello.GetProperty("ok").GetBoolean(), hello.ToString());
        }
        await stop.CancelAsync();
        await guesser;

        Assert.All(guesserAnswers, code => Assert.Contains(code, new[] { "AUTH_TOKEN_MISMATCH", "AUTH_RATE_LIMITED" }));
    }

    [Fact]
    public async Task Lockout_ends_after_its_duration()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["AuthFailureBurst"] = "1",
            ["AuthFailureIntervalMs"] = "60000",
        });
        await AttemptAsync(server, "guess-1");
        var limited = await AttemptAsync(server, "guess-2");
        Assert.Equal("AUTH_RATE_LIMITED", limited.GetProperty("error").GetProperty("details").GetProperty("code").GetString());

        server.Time.Offset = TimeSpan.FromSeconds(61);
        var (client, response) = await server.ConnectAsync();
        await using var clientScope = client;

        Assert.True(response.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Spoofed_forwarded_header_from_an_untrusted_peer_is_ignored()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["AuthFailureBurst"] = "2",
            ["AuthFailureIntervalMs"] = "600000",
        });

        var first = await AttemptAsync(server, "guess-1", forwardedFor: "10.0.0.1");
        var second = await AttemptAsync(server, "guess-2", forwardedFor: "10.0.0.2");
        var third = await AttemptAsync(server, "guess-3", forwardedFor: "10.0.0.3");

        Assert.Equal("AUTH_TOKEN_MISMATCH", first.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        Assert.Equal("AUTH_TOKEN_MISMATCH", second.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        Assert.Equal("AUTH_RATE_LIMITED", third.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains("opened from 10.0.0.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forwarded_header_from_a_trusted_proxy_names_the_client()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["AuthFailureBurst"] = "2",
            ["AuthFailureIntervalMs"] = "600000",
            ["TrustedProxies:0"] = "127.0.0.0/8",
        });

        await AttemptAsync(server, "guess-1", forwardedFor: "10.0.0.1");
        await AttemptAsync(server, "guess-2", forwardedFor: "203.0.113.9, 10.0.0.1");
        var limited = await AttemptAsync(server, "guess-3", forwardedFor: "10.0.0.1");
        var otherClient = await AttemptAsync(server, "guess-4", forwardedFor: "10.0.0.2");
        var (valid, hello) = await server.ConnectAsync(forwardedFor: "10.0.0.3");
        await using var validScope = valid;

        Assert.Equal("AUTH_RATE_LIMITED", limited.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        Assert.Equal("AUTH_TOKEN_MISMATCH", otherClient.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        Assert.True(hello.GetProperty("ok").GetBoolean());
        Assert.Contains(server.Logs.Lines, l => l.Contains("opened from 10.0.0.2", StringComparison.Ordinal));
    }

    /// <summary>One connect attempt with <paramref name="token"/>; returns the connect response.</summary>
    internal static async Task<JsonElement> AttemptAsync(EdgeTestServer server, string token, string? forwardedFor = null)
    {
        await using var client = await server.OpenAsync(forwardedFor);
        await client.ReadChallengeAsync();
        var response = await client.SendConnectAsync(ConnectRequests.Params(token));
        if (!response.GetProperty("ok").GetBoolean()) await client.ClosedAsync();
        return response;
    }

    [Fact]
    public async Task Token_answers_are_cached_briefly()
    {
        await using var server = await EdgeTestServer.StartAsync();

        for (var i = 0; i < 3; i++)
        {
            var (client, response) = await server.ConnectAsync();
            Assert.True(response.GetProperty("ok").GetBoolean());
            await client.DisposeAsync();
        }

        Assert.Equal(1, server.Tenants.Lookups);
    }

    [Fact]
    public async Task Revoked_token_is_refused_for_new_connects_after_the_cache_ttl()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["TokenCacheTtlMs"] = "1000" });
        var (first, ok) = await server.ConnectAsync();
        await first.DisposeAsync();
        Assert.True(ok.GetProperty("ok").GetBoolean());

        await server.Tenants.RevokeTokensAsync(EdgeTestServer.TenantA, EdgeTestServer.TokenA, CancellationToken.None);
        server.Time.Offset = TimeSpan.FromMilliseconds(1100);
        var (second, refused) = await server.ConnectAsync();
        await using var secondScope = second;

        Assert.Equal("AUTH_TOKEN_MISMATCH", refused.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Open_socket_of_a_revoked_token_is_closed_with_4001()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["TokenCacheTtlMs"] = "0",
            ["TokenNegativeCacheTtlMs"] = "0",
            ["SubscriptionRenewalIntervalMs"] = "100",
        });
        var (revoked, _) = await server.ConnectAsync();
        var (other, __) = await server.ConnectAsync(EdgeTestServer.TokenB);
        await using var revokedScope = revoked;
        await using var otherScope = other;

        await server.Tenants.RevokeTokensAsync(EdgeTestServer.TenantA, null, CancellationToken.None);
        var (status, reason) = await revoked.ClosedAsync(TimeSpan.FromSeconds(5));

        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal("credentials revoked", reason);
        // The other tenant's socket is untouched.
        Assert.True((await other.CallAsync("health")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Store_outage_answers_unavailable_and_close_1013()
    {
        await using var server = await EdgeTestServer.StartAsync();
        server.Tenants.LookupFailure = new InvalidOperationException("database down");
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var response = await client.SendConnectAsync(ConnectRequests.Params(EdgeTestServer.TokenA));
        var (status, _) = await client.ClosedAsync();

        Assert.Equal("UNAVAILABLE", response.GetProperty("error").GetProperty("code").GetString());
        Assert.True(response.GetProperty("error").GetProperty("retryable").GetBoolean());
        Assert.Equal((WebSocketCloseStatus)1013, status);

        // Failures are not cached: the next connect after recovery works.
        server.Tenants.LookupFailure = null;
        var (next, ok) = await server.ConnectAsync();
        await using var nextScope = next;
        Assert.True(ok.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Tokens_never_appear_in_logs()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await client.CallAsync("health");
        await client.DisposeAsync();
        await using (var wrong = await server.OpenAsync())
        {
            await wrong.ReadChallengeAsync();
            await wrong.SendConnectAsync(ConnectRequests.Params("very-secret-wrong-token"));
            await wrong.ClosedAsync();
        }
        // Both sockets have finished on the server (their last log lines are written).
        await MalformedInputTests.WaitForLogAsync(server, "closed after");
        await MalformedInputTests.WaitForLogAsync(server, "rejected during handshake");

        Assert.NotEmpty(server.Logs.Lines);
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains(EdgeTestServer.TokenA, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("very-secret-wrong-token", StringComparison.Ordinal));
    }
}
