using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// <c>role:"node"</c> connects (AGENT.md §5, PROTOCOL.md §3): the official node host's connect is
/// accepted with every field of the closed schema, authenticates with the tenant token like an
/// operator (never PAIRING_REQUIRED), gets no scopes, and the sizes a client declares are bounded.
/// </summary>
public sealed class NodeConnectTests
{
    /// <summary>The official node host's connect params (reference-agent-transcript.jsonl, the conn whose client.id is node-host), with our token.</summary>
    internal static JsonObject NodeHostParams(string token = EdgeTestServer.TokenA)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "node-host-connect.json");
        var parameters = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        parameters["auth"] = new JsonObject { ["token"] = token };
        parameters.Remove("device");
        return parameters;
    }

    /// <summary>Opens a socket and connects as the official node host, signed by a fresh device.</summary>
    internal static async Task<(GatewayTestClient Client, JsonElement Hello, TestDevice Device)> ConnectNodeAsync(
        EdgeTestServer server, Action<JsonObject>? change = null)
    {
        var client = await server.OpenAsync();
        var challenge = (await client.ReadChallengeAsync()).GetProperty("payload");
        var parameters = NodeHostParams();
        change?.Invoke(parameters);
        var device = new TestDevice();
        device.Attach(parameters, challenge.GetProperty("nonce").GetString()!, challenge.GetProperty("ts").GetInt64());
        var hello = await client.SendConnectAsync(parameters);
        return (client, hello, device);
    }

    [Fact]
    public async Task The_official_node_hosts_connect_is_accepted_with_every_schema_field_and_gets_no_scopes()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, hello, _) = await ConnectNodeAsync(server, parameters =>
        {
            // Every node field of the closed ConnectParams schema, including the rarely sent ones.
            parameters["permissions"] = new JsonObject { ["camera.capture"] = true, ["screen.record"] = false };
            parameters["computerUse"] = new JsonObject { ["enabled"] = false };
            parameters["workerRuns"] = new JsonArray();
            parameters["auth"]!["approvalRuntimeToken"] = "approval-runtime";
            parameters["auth"]!["agentRuntimeIdentityToken"] = "agent-runtime";
            // Asking for operator scopes as a node gets none.
            parameters["scopes"] = new JsonArray("operator.admin");
        });
        await using var _c = client;

        Assert.True(hello.GetProperty("ok").GetBoolean(), hello.GetRawText());
        var payload = hello.GetProperty("payload");
        Assert.Equal("hello-ok", payload.GetProperty("type").GetString());
        Assert.Equal("node", payload.GetProperty("auth").GetProperty("role").GetString());
        Assert.Equal(0, payload.GetProperty("auth").GetProperty("scopes").GetArrayLength());
        Assert.Equal("token", payload.GetProperty("auth").GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("snapshot").GetProperty("presence").ValueKind);
        Assert.DoesNotContain("PAIRING_REQUIRED", hello.GetRawText());
    }

    [Fact]
    public async Task A_node_without_a_device_authenticates_with_the_tenant_token_like_an_operator()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var hello = await client.SendConnectAsync(NodeHostParams());

        Assert.True(hello.GetProperty("ok").GetBoolean(), hello.GetRawText());
        Assert.Equal("node", hello.GetProperty("payload").GetProperty("auth").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_node_with_a_wrong_token_is_refused_as_a_token_mismatch_not_a_pairing_request()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var hello = await client.SendConnectAsync(NodeHostParams("not-a-tenant-token"));

        Assert.False(hello.GetProperty("ok").GetBoolean());
        Assert.Equal("AUTH_TOKEN_MISMATCH", hello.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
        Assert.DoesNotContain("PAIRING_REQUIRED", hello.GetRawText());
    }

    public static TheoryData<string, string> Oversized => new()
    {
        { "commands-count", "at /commands: must NOT have more than 512 items" },
        { "command-length", "at /commands/0: must NOT have more than 200 characters" },
        { "caps-count", "at /caps: must NOT have more than 64 items" },
        { "cap-length", "at /caps/0: must NOT have more than 200 characters" },
        { "scopes-count", "at /scopes: must NOT have more than 32 items" },
        { "permissions-count", "at /permissions: must NOT have more than 256 properties" },
        { "permission-name", "at /permissions: property name must NOT have more than 200 characters" },
        { "permission-value", "at /permissions/camera.capture: must be boolean" },
        { "path-env", "at /pathEnv: must NOT have more than 8192 characters" },
        { "display-name", "at /client/displayName: must NOT have more than 256 characters" },
        { "commands-type", "at /commands/0: must be string" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public async Task Oversized_or_mistyped_node_fields_are_refused_with_the_schema_error(string attack, string problem)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var parameters = NodeHostParams();
        var longName = new string('x', 201);
        switch (attack)
        {
            case "commands-count": parameters["commands"] = Names(513, i => $"c{i}"); break;
            case "command-length": parameters["commands"] = new JsonArray(longName); break;
            case "caps-count": parameters["caps"] = Names(65, i => $"cap{i}"); break;
            case "cap-length": parameters["caps"] = new JsonArray(longName); break;
            case "scopes-count": parameters["scopes"] = Names(33, i => $"s{i}"); break;
            case "permissions-count":
                var many = new JsonObject();
                for (var i = 0; i < 257; i++) many[$"p{i}"] = true;
                parameters["permissions"] = many;
                break;
            case "permission-name": parameters["permissions"] = new JsonObject { [longName] = true }; break;
            case "permission-value": parameters["permissions"] = new JsonObject { ["camera.capture"] = "yes" }; break;
            case "path-env": parameters["pathEnv"] = new string('/', 8193); break;
            case "display-name": parameters["client"]!["displayName"] = new string('n', 257); break;
            case "commands-type": parameters["commands"] = new JsonArray(1); break;
        }

        var response = await client.SendConnectAsync(parameters);

        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", response.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal($"invalid connect params: {problem}", response.GetProperty("error").GetProperty("message").GetString());
        await client.ClosedAsync();
        Assert.Empty(server.Grains.Grain(EdgeTestServer.TenantA).OpenConnections);
    }

    [Fact]
    public async Task Node_fields_at_their_limits_are_accepted()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        await client.ReadChallengeAsync();
        var parameters = NodeHostParams();
        parameters["commands"] = Names(512, i => i == 0 ? new string('c', 200) : $"c{i}");
        parameters["caps"] = Names(64, i => $"cap{i}");
        var permissions = new JsonObject();
        for (var i = 0; i < 256; i++) permissions[$"p{i}"] = i % 2 == 0;
        parameters["permissions"] = permissions;
        parameters["pathEnv"] = new string('/', 8192);

        var response = await client.SendConnectAsync(parameters);

        Assert.True(response.GetProperty("ok").GetBoolean(), response.GetRawText());
    }

    private static JsonArray Names(int count, Func<int, string> name) =>
        new(Enumerable.Range(0, count).Select(i => (JsonNode)JsonValue.Create(name(i))!).ToArray());
}
