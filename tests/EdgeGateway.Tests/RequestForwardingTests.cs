using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>Requests go to the tenant grain and its replies come back as protocol responses.</summary>
public sealed class RequestForwardingTests
{
    [Fact]
    public async Task Unknown_method_passes_through_the_grains_error()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var id = await client.SendRequestAsync("no.such.method", new JsonObject());
        var response = await client.ResponseAsync(id);

        Assert.Equal(id, response.GetProperty("id").GetString());
        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", response.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("unknown method: no.such.method", response.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("no.such.method", Assert.Single(server.Grains.Grain(EdgeTestServer.TenantA).Calls).Call.Method);
    }

    [Fact]
    public async Task Grain_payload_is_written_verbatim()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var response = await client.CallAsync("test.raw", new JsonObject { ["json"] = """{"deep":{"list":[1,2.5,"ü",null,true]}}""" });

        Assert.True(response.GetProperty("ok").GetBoolean());
        var text = client.All.Last(f => f.Json.GetProperty("type").GetString() == "res").Text;
        Assert.Contains("""{"deep":{"list":[1,2.5,"ü",null,true]}}""", text, StringComparison.Ordinal);
        Assert.NotEmpty(grain.Calls);
    }

    [Fact]
    public async Task Pending_slow_request_does_not_block_a_later_abort_on_the_same_socket()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        grain.ChatSendDelay = TimeSpan.FromSeconds(3);
        var (client, _) = await server.ConnectAsync(scopes: ["operator.write"]);
        await using var clientScope = client;

        var sendId = await client.SendRequestAsync("chat.send", new JsonObject { ["sessionKey"] = "agent:main:main", ["message"] = "long", ["idempotencyKey"] = "run-1" });
        await TenantLimitTests.WaitUntilAsync(() => Task.FromResult(grain.Calls.Any(c => c.Call.Method == "chat.send")));
        var abortId = await client.SendRequestAsync("chat.abort", new JsonObject { ["sessionKey"] = "agent:main:main", ["runId"] = "run-1" });
        var abort = await client.ResponseAsync(abortId);
        var send = await client.ResponseAsync(sendId);

        Assert.True(abort.GetProperty("ok").GetBoolean());
        Assert.True(abort.GetProperty("payload").GetProperty("aborted").GetBoolean());
        // The abort was answered while the earlier request was still held by the grain.
        var order = client.All.Select(f => f.Json.TryGetProperty("id", out var id) ? id.GetString() : null).ToList();
        Assert.True(order.IndexOf(abortId) < order.IndexOf(sendId), "the abort waited behind the pending request");
        Assert.True(send.GetProperty("ok").GetBoolean());
        var responses = client.All.Where(f => f.Json.GetProperty("type").GetString() == "res").Select(f => f.Json.GetProperty("id").GetString()).ToList();
        Assert.True(responses.IndexOf(abortId) < responses.IndexOf(sendId));
        Assert.Contains(grain.Calls, c => c.Call.Method == "chat.abort" && c.Interleaved);
        Assert.Contains(grain.Calls, c => c.Call.Method == "chat.send" && !c.Interleaved);
    }

    [Fact]
    public async Task Final_pending_reply_is_followed_by_the_final_response_with_the_same_id()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var (client, _) = await server.ConnectAsync(scopes: ["operator.write"]);
        await using var clientScope = client;

        var id = await client.SendRequestAsync("agent", new JsonObject { ["message"] = "say hello", ["idempotencyKey"] = "run-7" });
        var accepted = await client.ResponseAsync(id);
        var final = await client.ResponseAsync(id);

        Assert.Equal("accepted", accepted.GetProperty("payload").GetProperty("status").GetString());
        Assert.Equal("ok", final.GetProperty("payload").GetProperty("status").GetString());
        Assert.Equal("run-7", final.GetProperty("payload").GetProperty("runId").GetString());
        var finalCall = Assert.Single(grain.Calls, c => c.Call.Method == GatewayMethodCatalog.AgentFinal);
        Assert.True(finalCall.Interleaved);
        Assert.Equal("""{"runId":"run-7"}""", finalCall.Call.ParamsJson);
        Assert.Equal(id, finalCall.Call.RequestId);
    }

    [Fact]
    public async Task Grain_exception_becomes_unavailable_and_the_socket_stays_usable()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var failed = await client.CallAsync("test.throw");
        var health = await client.CallAsync("health");

        var error = failed.GetProperty("error");
        Assert.False(failed.GetProperty("ok").GetBoolean());
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Contains("test.throw", error.GetProperty("message").GetString());
        Assert.True(error.GetProperty("retryable").GetBoolean());
        Assert.DoesNotContain("the grain broke", failed.GetRawText());
        Assert.DoesNotContain("Exception", failed.GetRawText());
        Assert.True(health.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Grain_timeout_becomes_a_retryable_unavailable()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["RequestTimeoutMs"] = "300" });
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var response = await client.CallAsync("test.slow", new JsonObject { ["delayMs"] = 3000 });

        var error = response.GetProperty("error");
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.Equal("request timed out: test.slow did not complete within 300 ms", error.GetProperty("message").GetString());
        Assert.True(error.GetProperty("retryable").GetBoolean());
    }

    [Fact]
    public async Task Invalid_json_from_the_grain_never_reaches_the_wire()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var response = await client.CallAsync("test.raw", new JsonObject { ["json"] = "{not json" });

        Assert.Equal("UNAVAILABLE", response.GetProperty("error").GetProperty("code").GetString());
        Assert.True((await client.CallAsync("health")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Many_concurrent_requests_all_get_their_own_response()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var ids = new List<string>();
        for (var i = 0; i < 50; i++) ids.Add(await client.SendRequestAsync("test.slow", new JsonObject { ["delayMs"] = 50 + i % 7 * 20 }));
        foreach (var id in ids)
        {
            var response = await client.ResponseAsync(id);
            Assert.Equal(id, response.GetProperty("payload").GetProperty("requestId").GetString());
        }
    }

    [Fact]
    public async Task Tenant_with_damaged_stored_state_gets_a_non_retryable_unavailable_without_internals()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, _) = await server.ConnectAsync();
        await using var clientScope = client;

        var failed = await client.CallAsync("test.corrupt");

        var error = failed.GetProperty("error");
        Assert.Equal("UNAVAILABLE", error.GetProperty("code").GetString());
        Assert.False(error.GetProperty("retryable").GetBoolean());
        Assert.Contains("stored data is damaged", error.GetProperty("message").GetString());
        Assert.Contains("operator", error.GetProperty("message").GetString());
        Assert.DoesNotContain("Exception", failed.GetRawText());
        Assert.DoesNotContain("/var/lib", failed.GetRawText());
    }

    /// <summary>The grain waits at most its per-call wait (10 s); a longer client timeoutMs is honoured by asking again.</summary>
    [Fact]
    public async Task Agent_wait_honours_a_client_timeout_longer_than_the_grains_per_call_wait()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        grain.MaxCallWait = TimeSpan.FromMilliseconds(50);
        var (client, _) = await server.ConnectAsync(scopes: ["operator.write"]);
        await using var clientScope = client;

        var id = await client.SendRequestAsync("agent.wait", new JsonObject { ["runId"] = "run-9", ["timeoutMs"] = 60_000 });
        await TenantLimitTests.WaitUntilAsync(() => Task.FromResult(grain.Calls.Count(c => c.Call.Method == "agent.wait") >= 3));
        grain.FinishRun("run-9");
        var response = await client.ResponseAsync(id);

        Assert.Equal("ok", response.GetProperty("payload").GetProperty("status").GetString());
        Assert.All(grain.Calls, c => Assert.True(c.Interleaved));
        // Each call asks for what is left of the client's timeout.
        var asked = grain.Calls.Select(c => JsonDocument.Parse(c.Call.ParamsJson!).RootElement.GetProperty("timeoutMs").GetInt64()).ToList();
        Assert.All(asked, ms => Assert.InRange(ms, 1, 60_000));
    }

    [Fact]
    public async Task Agent_wait_answers_timeout_once_the_client_timeout_has_passed()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        grain.MaxCallWait = TimeSpan.FromMilliseconds(50);
        var (client, _) = await server.ConnectAsync(scopes: ["operator.write"]);
        await using var clientScope = client;

        var id = await client.SendRequestAsync("agent.wait", new JsonObject { ["runId"] = "run-10", ["timeoutMs"] = 60_000 });
        await TenantLimitTests.WaitUntilAsync(() => Task.FromResult(grain.Calls.Count >= 2));
        server.Time.Offset = TimeSpan.FromSeconds(61);
        var response = await client.ResponseAsync(id);

        Assert.Equal("timeout", response.GetProperty("payload").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Agent_wait_without_timeout_asks_the_grain_once()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        grain.MaxCallWait = TimeSpan.FromMilliseconds(50);
        var (client, _) = await server.ConnectAsync(scopes: ["operator.write"]);
        await using var clientScope = client;

        var response = await client.CallAsync("agent.wait", new JsonObject { ["runId"] = "run-11" });

        Assert.Equal("timeout", response.GetProperty("payload").GetProperty("status").GetString());
        Assert.Single(grain.Calls);
    }
}
