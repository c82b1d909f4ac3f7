using Microsoft.Extensions.DependencyInjection;
using OpenClaw.EdgeGateway.Connections;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>Frame-level bad input: size limits, binary frames, malformed JSON, bad envelopes, slow consumers.</summary>
public sealed class FrameTests
{
    [Fact]
    public async Task Oversize_frame_before_connect_closes_with_1009()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        await client.SendTextAsync("{\"type\":\"req\",\"id\":\"1\",\"method\":\"connect\",\"params\":{\"pad\":\"" + new string('x', 70_000) + "\"}}");
        var (status, reason) = await client.ClosedAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("max payload size exceeded", reason);
    }

    [Fact]
    public async Task Frame_of_exactly_the_pre_auth_limit_is_read()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var connect = ConnectRequests.Params(EdgeTestServer.TokenA);
        var frame = new JsonObject { ["type"] = "req", ["id"] = "1", ["method"] = "connect", ["params"] = connect }.ToJsonString();
        var padded = frame[..^1] + ",\"pad\":\"" + new string('x', 65_536 - frame.Length - 9) + "\"}";
        Assert.Equal(65_536, Encoding.UTF8.GetByteCount(padded));

        await client.SendTextAsync(padded);
        var response = await client.ResponseAsync("1");

        Assert.True(response.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Oversize_frame_after_connect_closes_with_1009()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["MaxPayloadBytes"] = "131072" });
        var (client, hello) = await server.ConnectAsync(scopes: ["operator.write"]);
        await using var clientScope = client;
        Assert.Equal(131_072, hello.GetProperty("payload").GetProperty("policy").GetProperty("maxPayload").GetInt32());

        // Below the limit but above the pre-auth limit: fine once authenticated (for a method that takes a message).
        var big = await client.CallAsync("chat.send", new JsonObject { ["sessionKey"] = "agent:main:main", ["message"] = new string('y', 100_000), ["idempotencyKey"] = "k" });
        Assert.True(big.GetProperty("ok").GetBoolean());

        await client.SendTextAsync("{\"type\":\"req\",\"id\":\"x\",\"method\":\"health\",\"params\":{\"pad\":\"" + new string('z', 140_000) + "\"}}");
        var (status, reason) = await client.ClosedAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("max payload size exceeded", reason);
    }

    [Fact]
    public async Task Binary_frame_after_connect_closes_with_1003()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        await client.SendBinaryAsync(Encoding.UTF8.GetBytes("""{"type":"req","id":"b","method":"health"}"""));
        var (status, reason) = await client.ClosedAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.Equal("binary frames are not supported: send UTF-8 JSON text frames", reason);
        Assert.Empty(server.Grains.Grain(EdgeTestServer.TenantA).Calls);
    }

    [Fact]
    public async Task Binary_frame_before_connect_closes_with_1003()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();

        await client.SendBinaryAsync([1, 2, 3]);
        var (status, _) = await client.ClosedAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
    }

    [Fact]
    public async Task Malformed_json_gets_an_error_with_the_salvaged_id_and_the_socket_stays_usable()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        await client.SendTextAsync("""{"type":"req","id":"broken-1","method":"health","params":{"a":""");
        var error = await client.ResponseAsync("broken-1");
        await client.SendTextAsync("this is not json");
        var anonymous = await client.ResponseAsync("invalid");
        var health = await client.CallAsync("health");

        Assert.False(error.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", error.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("invalid request frame: malformed JSON", error.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("INVALID_REQUEST", anonymous.GetProperty("error").GetProperty("code").GetString());
        Assert.True(health.GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData("""{"type":"req","id":"e1"}""", "e1", "invalid request frame: method must be a non-empty string")]
    [InlineData("""{"type":"req","id":"e2","method":""}""", "e2", "invalid request frame: method must be a non-empty string")]
    [InlineData("""{"type":"res","id":"e3","ok":true}""", "e3", "invalid request frame: type must be \"req\"")]
    [InlineData("""{"type":"req","id":7,"method":"health"}""", "invalid", "invalid request frame: id must be a non-empty string")]
    [InlineData("""[{"type":"req"}]""", "invalid", "invalid request frame: expected a JSON object")]
    public async Task Invalid_request_envelopes_get_clear_errors(string frame, string expectedId, string expectedMessage)
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        await client.SendTextAsync(frame);
        var response = await client.ResponseAsync(expectedId);

        Assert.Equal(expectedMessage, response.GetProperty("error").GetProperty("message").GetString());
        Assert.True((await client.CallAsync("health")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Internal_agent_final_method_is_unknown_to_clients()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var response = await client.CallAsync("agent.final", new JsonObject { ["runId"] = "x" });

        Assert.Equal("unknown method: agent.final", response.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(server.Grains.Grain(EdgeTestServer.TenantA).Calls);
    }

    [Fact]
    public async Task Slow_consumer_is_closed_with_1008()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["MaxBufferedBytes"] = "4096" });
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;
        await WaitForSubscriptionAsync(server);

        // 200 events of ~1 KB queued at once: far more than 4 KB waiting to be sent.
        await client.SendRequestAsync("test.emit", new JsonObject
        {
            ["event"] = "chat",
            ["payload"] = new JsonObject { ["text"] = new string('e', 1000) },
            ["count"] = 200,
        });
        var (status, reason) = await client.ClosedAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("slow consumer", reason);
    }

    /// <summary>Waits until <paramref name="count"/> sockets of the tenant are in its hub and the hub subscribed.</summary>
    internal static async Task WaitForSubscriptionAsync(EdgeTestServer server, string tenant = EdgeTestServer.TenantA, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var hubs = server.Services.GetRequiredService<TenantEventHubs>();
        while (server.Grains.Grain(tenant).Subscribers.IsEmpty || hubs.MembersOf(tenant) < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the socket did not subscribe");
            await Task.Delay(10);
        }
    }
}
