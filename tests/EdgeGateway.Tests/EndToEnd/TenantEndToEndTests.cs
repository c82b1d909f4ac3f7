using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Tests.EndToEnd;

/// <summary>Edge → runtime → UserGrain → edge, over real sockets, with the real silo composition.</summary>
public sealed class TenantEndToEndTests
{
    [Fact]
    public async Task The_core_methods_answer_through_the_whole_stack()
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);

        foreach (var method in new[] { "health", "status", "sessions.list", "agents.list" })
        {
            var response = await alice.CallAsync(method, new JsonObject());
            Assert.True(response.GetProperty("ok").GetBoolean(), $"{method}: {response}");
        }
        var unknown = await alice.CallAsync("no.such.method", new JsonObject());
        Assert.False(unknown.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", unknown.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("unknown method: no.such.method", unknown.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_chat_run_streams_to_the_final_event_and_lands_in_the_history()
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);

        var final = await ChatAsync(alice, "agent:main:main", "hello end to end");
        Assert.Contains("hello end to end", FinalText(final));

        var history = await alice.CallAsync("chat.history", new JsonObject { ["sessionKey"] = "agent:main:main" });
        var messages = history.GetProperty("payload").GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(messages, m => m.GetProperty("role").GetString() == "user" && m.ToString().Contains("hello end to end"));
        Assert.Contains(messages, m => m.GetProperty("role").GetString() == "assistant");
    }

    [Fact]
    public async Task The_agent_method_answers_accepted_then_final_with_the_same_id()
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);
        var id = await alice.SendRequestAsync("agent", new JsonObject
        {
            ["message"] = "agent says hi",
            ["idempotencyKey"] = Guid.NewGuid().ToString(),
            ["sessionKey"] = "agent:main:main",
        });
        var accepted = await alice.ResponseAsync(id);
        Assert.Equal("accepted", accepted.GetProperty("payload").GetProperty("status").GetString());
        var final = await alice.WaitForAsync(f => f.TryGetProperty("type", out var t) && t.GetString() == "res"
            && f.GetProperty("id").GetString() == id && !f.GetProperty("payload").TryGetProperty("acceptedAt", out _), TimeSpan.FromSeconds(20));
        Assert.True(final.GetProperty("ok").GetBoolean(), final.ToString());
        Assert.Equal("ok", final.GetProperty("payload").GetProperty("status").GetString());
        Assert.Contains("agent says hi", final.GetProperty("payload").GetProperty("result").ToString());
    }

    [Fact]
    public async Task Two_tenants_never_see_each_others_events_or_sessions()
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);
        await using var bob = await silo.ConnectAsync(SiloTestServer.BobToken);
        await bob.CallAsync("sessions.subscribe", new JsonObject());

        var aliceFinal = await ChatAsync(alice, "agent:main:alice-secret-session", "alice private words");
        var aliceRun = aliceFinal.GetProperty("payload").GetProperty("runId").GetString()!;

        // Bob's own run, started after alice's ended, is the barrier: by its final event, alice's
        // events would have reached him if they leaked. He got none, and cannot read her session.
        await ChatAsync(bob, "agent:main:main", "bob's own words");
        Assert.DoesNotContain(bob.All, f => f.Text.Contains(aliceRun, StringComparison.Ordinal));
        Assert.DoesNotContain(bob.All, f => f.Text.Contains("alice-secret-session", StringComparison.Ordinal));
        Assert.DoesNotContain(bob.All, f => f.Text.Contains("alice private words", StringComparison.Ordinal));
        var bobSessions = await bob.CallAsync("sessions.list", new JsonObject());
        Assert.DoesNotContain("alice-secret-session", bobSessions.ToString());
        var bobHistory = await bob.CallAsync("chat.history", new JsonObject { ["sessionKey"] = "agent:main:alice-secret-session" });
        Assert.DoesNotContain("alice private words", bobHistory.ToString());
    }

    [Fact]
    public async Task A_tenant_whose_provider_fails_gets_a_clear_error_and_never_affects_another_tenant()
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var carol = await silo.ConnectAsync(SiloTestServer.CarolToken);
        await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);

        // Both tenants chat at the same time: carol's runs fail, alice's complete.
        // (One socket's test client serves one waiter at a time, so each tenant's runs are sequential.)
        var carolRuns = Task.Run(async () =>
        {
            var errors = new List<JsonElement>();
            for (var i = 0; i < 5; i++) errors.Add(await ChatAsync(carol, $"agent:main:carol{i}", $"carol {i}", expectedState: "error"));
            return errors;
        });
        var aliceRuns = Task.Run(async () =>
        {
            var finals = new List<JsonElement>();
            for (var i = 0; i < 5; i++) finals.Add(await ChatAsync(alice, "agent:main:main", $"alice {i}"));
            return finals;
        });
        foreach (var final in await aliceRuns) Assert.Contains("alice", FinalText(final));
        foreach (var error in await carolRuns)
        {
            var message = error.GetProperty("payload").GetProperty("errorMessage").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.DoesNotContain("sk-carol-secret-key", message);
        }

        Assert.DoesNotContain(alice.All, f => f.Text.Contains("\"state\":\"error\"", StringComparison.Ordinal));
        Assert.DoesNotContain(alice.All, f => f.Text.Contains("carol", StringComparison.Ordinal));
        Assert.True((await alice.CallAsync("health", new JsonObject())).GetProperty("ok").GetBoolean());
        Assert.True((await carol.CallAsync("health", new JsonObject())).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_client_that_disconnects_after_the_ack_finds_the_whole_run_when_it_reconnects()
    {
        await using var silo = await SiloTestServer.StartAsync();
        var runId = Guid.NewGuid().ToString();
        await using (var alice = await silo.ConnectAsync(SiloTestServer.AliceToken))
        {
            var ack = await alice.CallAsync("chat.send", new JsonObject
            {
                ["sessionKey"] = "agent:main:main",
                ["message"] = "acknowledged then gone",
                ["idempotencyKey"] = runId,
            });
            Assert.True(ack.GetProperty("ok").GetBoolean(), ack.ToString());
            await alice.CloseAsync(); // before the run's final event
        }

        await using var again = await silo.ConnectAsync(SiloTestServer.AliceToken);
        string history = "";
        for (var i = 0; i < 100 && !history.Contains("\"assistant\"", StringComparison.Ordinal); i++)
        {
            history = (await again.CallAsync("chat.history", new JsonObject { ["sessionKey"] = "agent:main:main" })).ToString();
            if (!history.Contains("\"assistant\"", StringComparison.Ordinal)) await Task.Delay(50);
        }
        Assert.Contains("acknowledged then gone", history);
        Assert.Contains("\"assistant\"", history);
        Assert.Contains(runId, history);
    }

    [Fact]
    public async Task Transcripts_survive_deactivation_and_a_silo_restart()
    {
        string dataDirectory;
        await using (var silo = await SiloTestServer.StartAsync())
        {
            dataDirectory = silo.DataDirectory;
            await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);
            await ChatAsync(alice, "agent:main:main", "remember me");
            await alice.CloseAsync();

            await silo.Runtime.DeactivateAsync(new GrainId("user", "alice"));
            Assert.False(silo.Runtime.IsActive(new GrainId("user", "alice")));
            await using var again = await silo.ConnectAsync(SiloTestServer.AliceToken);
            Assert.Contains("remember me", (await again.CallAsync("chat.history", new JsonObject { ["sessionKey"] = "agent:main:main" })).ToString());
        }

        await using var restarted = await SiloTestServer.StartAsync(dataDirectory);
        await using var afterRestart = await restarted.ConnectAsync(SiloTestServer.AliceToken);
        var history = await afterRestart.CallAsync("chat.history", new JsonObject { ["sessionKey"] = "agent:main:main" });
        Assert.Contains("remember me", history.ToString());
    }

    [Fact]
    public async Task Bad_frames_get_clear_errors_and_the_connection_keeps_working()
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var alice = await silo.ConnectAsync(SiloTestServer.AliceToken);

        await alice.SendTextAsync("{ this is not json");
        var error = await alice.WaitForAsync(f => f.TryGetProperty("type", out var t) && t.GetString() == "res" && !f.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", error.GetProperty("error").GetProperty("code").GetString());

        var badParams = await alice.CallAsync("chat.send", new JsonObject { ["sessionKey"] = 42 });
        Assert.False(badParams.GetProperty("ok").GetBoolean());
        Assert.StartsWith("invalid chat.send params", badParams.GetProperty("error").GetProperty("message").GetString());

        var health = await alice.CallAsync("health", new JsonObject());
        Assert.True(health.GetProperty("ok").GetBoolean());
    }

    /// <summary>Sends a chat message and returns the run's <c>chat</c> event in <paramref name="expectedState"/>.</summary>
    internal static async Task<JsonElement> ChatAsync(GatewayTestClient client, string sessionKey, string message, string expectedState = "final")
    {
        var runId = Guid.NewGuid().ToString();
        var ack = await client.CallAsync("chat.send", new JsonObject
        {
            ["sessionKey"] = sessionKey,
            ["message"] = message,
            ["idempotencyKey"] = runId,
        });
        Assert.True(ack.GetProperty("ok").GetBoolean(), ack.ToString());
        return await client.WaitForAsync(f =>
            f.TryGetProperty("event", out var e) && e.GetString() == "chat"
            && f.GetProperty("payload").GetProperty("runId").GetString() == runId
            && f.GetProperty("payload").GetProperty("state").GetString() == expectedState, TimeSpan.FromSeconds(20));
    }

    internal static string FinalText(JsonElement finalEvent) =>
        string.Concat(finalEvent.GetProperty("payload").GetProperty("message").GetProperty("content").EnumerateArray()
            .Select(c => c.TryGetProperty("text", out var t) ? t.GetString() : ""));
}
