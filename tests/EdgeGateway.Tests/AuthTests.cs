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
            ["AuthFailureLimit"] = "3",
            ["AuthLockoutMs"] = "60000",
        });

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var wrong = await server.OpenAsync();
            await wrong.ReadChallengeAsync();
            var mismatch = await wrong.SendConnectAsync(ConnectRequests.Params("guess-" + attempt));
            Assert.Equal("AUTH_TOKEN_MISMATCH", mismatch.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        }

        // Locked out: even the right token is refused until the lockout ends.
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var response = await client.SendConnectAsync(ConnectRequests.Params(EdgeTestServer.TokenA));
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
    }

    [Fact]
    public async Task Lockout_ends_after_its_duration()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["AuthFailureLimit"] = "1",
            ["AuthLockoutMs"] = "60000",
        });
        await using (var wrong = await server.OpenAsync())
        {
            await wrong.ReadChallengeAsync();
            await wrong.SendConnectAsync(ConnectRequests.Params("guess"));
        }

        server.Time.Offset = TimeSpan.FromSeconds(61);
        var (client, response) = await server.ConnectAsync();
        await using var clientScope = client;

        Assert.True(response.GetProperty("ok").GetBoolean());
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
        await Task.Delay(200);

        Assert.NotEmpty(server.Logs.Lines);
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains(EdgeTestServer.TokenA, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains("very-secret-wrong-token", StringComparison.Ordinal));
    }
}
