using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>PROTOCOL.md §2: challenge, connect, hello-ok and the handshake failures.</summary>
public sealed class HandshakeTests
{
    [Fact]
    public async Task Challenge_is_the_first_frame_and_has_no_seq()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();

        var frame = await client.NextAsync();

        Assert.Equal("event", frame.GetProperty("type").GetString());
        Assert.Equal("connect.challenge", frame.GetProperty("event").GetString());
        Assert.False(frame.TryGetProperty("seq", out _));
        var payload = frame.GetProperty("payload");
        Assert.True(Guid.TryParse(payload.GetProperty("nonce").GetString(), out _));
        var ts = payload.GetProperty("ts").GetInt64();
        Assert.InRange(ts, DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddSeconds(10).ToUnixTimeMilliseconds());
        Assert.Equal(["model-catalog-snapshot"], payload.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Each_socket_gets_its_own_nonce()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var first = await server.OpenAsync();
        await using var second = await server.OpenAsync();

        var nonce1 = (await first.ReadChallengeAsync()).GetProperty("payload").GetProperty("nonce").GetString();
        var nonce2 = (await second.ReadChallengeAsync()).GetProperty("payload").GetProperty("nonce").GetString();

        Assert.NotEqual(nonce1, nonce2);
    }

    [Fact]
    public async Task Connect_answers_hello_ok_with_every_required_field()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, response) = await server.ConnectAsync(scopes: ["operator.read", "operator.write"]);
        await using var clientScope = client;

        Assert.Equal("res", response.GetProperty("type").GetString());
        Assert.True(response.GetProperty("ok").GetBoolean());
        var hello = response.GetProperty("payload");
        Assert.Equal("hello-ok", hello.GetProperty("type").GetString());
        Assert.Equal(4, hello.GetProperty("protocol").GetInt32());

        var serverInfo = hello.GetProperty("server");
        Assert.Equal(EdgeGatewayOptions.DefaultServerVersion, serverInfo.GetProperty("version").GetString());
        Assert.True(Guid.TryParse(serverInfo.GetProperty("connId").GetString(), out _));

        var features = hello.GetProperty("features");
        Assert.Equal(GatewayMethodCatalog.Methods.Keys, features.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal(GatewayMethodCatalog.Events, features.GetProperty("events").EnumerateArray().Select(e => e.GetString()!));
        Assert.DoesNotContain(GatewayMethodCatalog.AgentFinal, features.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));

        var snapshot = hello.GetProperty("snapshot");
        Assert.Equal(JsonValueKind.Array, snapshot.GetProperty("presence").ValueKind);
        Assert.Equal(JsonValueKind.Object, snapshot.GetProperty("health").ValueKind);
        Assert.True(snapshot.GetProperty("stateVersion").GetProperty("presence").GetInt64() >= 0);
        Assert.True(snapshot.GetProperty("stateVersion").GetProperty("health").GetInt64() >= 0);
        Assert.True(snapshot.GetProperty("uptimeMs").GetInt64() >= 0);
        var defaults = snapshot.GetProperty("sessionDefaults");
        Assert.Equal("main", defaults.GetProperty("defaultAgentId").GetString());
        Assert.Equal("main", defaults.GetProperty("mainKey").GetString());
        Assert.Equal("agent:main:main", defaults.GetProperty("mainSessionKey").GetString());
        Assert.Equal("per-sender", defaults.GetProperty("scope").GetString());

        var auth = hello.GetProperty("auth");
        Assert.Equal("operator", auth.GetProperty("role").GetString());
        Assert.Equal("token", auth.GetProperty("method").GetString());
        // Multi-tenant difference (PROTOCOL.md §3): a device-less token connect keeps its requested scopes.
        Assert.Equal(["operator.read", "operator.write"], auth.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var policy = hello.GetProperty("policy");
        Assert.Equal(26_214_400, policy.GetProperty("maxPayload").GetInt64());
        Assert.Equal(52_428_800, policy.GetProperty("maxBufferedBytes").GetInt64());
        Assert.Equal(30_000, policy.GetProperty("tickIntervalMs").GetInt64());
    }

    [Fact]
    public async Task Requests_carry_the_socket_identity_to_the_tenant_grain()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, hello) = await server.ConnectAsync(scopes: ["operator.admin"]);
        await using var clientScope = client;
        var connId = hello.GetProperty("payload").GetProperty("server").GetProperty("connId").GetString();

        const string id = "7:raw-params";
        await client.SendTextAsync("""{"type":"req","id":"7:raw-params","method":"sessions.list","params":{"limit": 5,  "search":"ü"}}""");
        var response = await client.ResponseAsync(id);

        Assert.True(response.GetProperty("ok").GetBoolean());
        var (call, interleaved) = Assert.Single(server.Grains.Grain(EdgeTestServer.TenantA).Calls);
        Assert.False(interleaved);
        Assert.Equal("sessions.list", call.Method);
        Assert.Equal(id, call.RequestId);
        Assert.Equal(connId, call.ConnectionId);
        Assert.Equal(["operator.admin"], call.Scopes);
        Assert.Equal("cli", call.ClientId);
        Assert.Equal("cli", call.ClientMode);
        // The params text is forwarded exactly as the client wrote it.
        Assert.Equal("""{"limit": 5,  "search":"ü"}""", call.ParamsJson);
    }

    [Fact]
    public async Task Request_without_params_reaches_the_grain_with_null_params()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var response = await client.CallAsync("health");

        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.Null(Assert.Single(server.Grains.Grain(EdgeTestServer.TenantA).Calls).Call.ParamsJson);
    }

    [Fact]
    public async Task First_request_other_than_connect_is_refused_with_1008()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var id = await client.SendRequestAsync("health");
        var response = await client.ResponseAsync(id);
        var (status, reason) = await client.ClosedAsync();

        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", response.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid handshake: first request must be connect", response.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("invalid handshake: first request must be connect", reason);
        Assert.Empty(server.Grains.Grain(EdgeTestServer.TenantA).Calls);
    }

    [Theory]
    [InlineData("""{"type":"event","event":"hello"}""")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    public async Task First_frame_that_is_not_a_request_closes_with_1008(string frame)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        await client.SendTextAsync(frame);
        var (status, reason) = await client.ClosedAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("invalid handshake: first request must be connect", reason);
        Assert.Single(client.All);
    }

    [Fact]
    public async Task Invalid_connect_params_are_refused_with_1008()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var parameters = ConnectRequests.Params(EdgeTestServer.TokenA);
        parameters["client"]!.AsObject().Remove("id");

        var response = await client.SendConnectAsync(parameters);
        var (status, reason) = await client.ClosedAsync();

        Assert.Equal("INVALID_REQUEST", response.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("invalid connect params: at /client: must have required property 'id'", response.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("invalid connect params: at /client: must have required property 'id'", reason);
    }

    [Theory]
    [InlineData(5, 6)]
    [InlineData(1, 3)]
    public async Task Protocol_range_without_v4_is_refused_with_1002(int min, int max)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var response = await client.SendConnectAsync(ConnectRequests.Params(EdgeTestServer.TokenA, minProtocol: min, maxProtocol: max));
        var (status, reason) = await client.ClosedAsync();

        var error = response.GetProperty("error");
        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", error.GetProperty("code").GetString());
        Assert.Equal("protocol mismatch", error.GetProperty("message").GetString());
        Assert.Equal("PROTOCOL_MISMATCH", error.GetProperty("details").GetProperty("code").GetString());
        Assert.Equal(4, error.GetProperty("details").GetProperty("expectedProtocol").GetInt32());
        Assert.Equal(WebSocketCloseStatus.ProtocolError, status);
        Assert.Equal("protocol mismatch", reason);
    }

    [Fact]
    public async Task Protocol_range_including_v4_is_accepted()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var response = await client.SendConnectAsync(ConnectRequests.Params(EdgeTestServer.TokenA, minProtocol: 3, maxProtocol: 5));

        Assert.True(response.GetProperty("ok").GetBoolean());
        Assert.Equal(4, response.GetProperty("payload").GetProperty("protocol").GetInt32());
    }

    [Fact]
    public async Task Silent_socket_is_closed_1008_after_the_handshake_timeout()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["HandshakeTimeoutMs"] = "300", ["AuthMaxDelayMs"] = "100" });
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        var (status, reason) = await client.ClosedAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("handshake timeout", reason);
    }

    [Fact]
    public async Task Second_connect_on_an_authenticated_socket_is_an_error_and_the_socket_stays_usable()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var again = await client.SendConnectAsync(ConnectRequests.Params(EdgeTestServer.TokenA));
        var health = await client.CallAsync("health");

        Assert.False(again.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", again.GetProperty("error").GetProperty("code").GetString());
        Assert.True(health.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Plain_http_request_gets_426()
    {
        await using var server = await EdgeTestServer.StartAsync();
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(server.Uri.ToString().Replace("ws://", "http://", StringComparison.Ordinal)));

        Assert.Equal(System.Net.HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task Client_close_is_answered_normally()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        await client.CloseAsync();

        Assert.Equal(WebSocketState.Closed, client.Socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.Socket.CloseStatus);
    }
}
