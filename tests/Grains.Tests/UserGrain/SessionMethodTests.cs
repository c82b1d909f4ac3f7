using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary><c>sessions.list</c>, <c>.describe</c>, <c>.reset</c>, <c>.delete</c>, and the TUI's startup lists.</summary>
public sealed class SessionMethodTests
{
    [Fact]
    public async Task Sessions_list_pages_newest_first_and_filters()
    {
        using var harness = GatewayHarness.Create();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await harness.ChatAsync("hi", sessionKey: $"agent:main:{name}");
            harness.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var page = await harness.OkAsync("sessions.list", new { limit = 2 });
        Assert.Equal(["agent:main:c", "agent:main:b"], page.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        Assert.Equal(2, page.GetProperty("count").GetInt32());
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, page.GetProperty("limitApplied").GetInt32());
        Assert.True(page.GetProperty("hasMore").GetBoolean());
        Assert.Equal(2, page.GetProperty("nextOffset").GetInt32());

        var rest = await harness.OkAsync("sessions.list", new { limit = 2, offset = 2 });
        Assert.Equal(["agent:main:a"], rest.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextOffset").ValueKind);

        Assert.Equal(1, (await harness.OkAsync("sessions.list", new { search = "main:b" })).GetProperty("count").GetInt32());
        Assert.Equal(1, (await harness.OkAsync("sessions.list", new { activeMinutes = 1 })).GetProperty("count").GetInt32());
        Assert.Equal(0, (await harness.OkAsync("sessions.list", new { archived = true })).GetProperty("count").GetInt32());
        Assert.Equal("Hello from the mock model.", page.GetProperty("sessions")[0].GetProperty("lastMessagePreview").GetString());
    }

    [Fact]
    public async Task Describing_a_session_that_does_not_exist_gives_a_fresh_row()
    {
        using var harness = GatewayHarness.Create();
        var session = (await harness.OkAsync("sessions.describe", new { key = "agent:main:new" })).GetProperty("session");
        Assert.Equal("agent:main:new", session.GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("updatedAt").ValueKind);
        Assert.False(session.TryGetProperty("sessionId", out _));
        Assert.False(session.GetProperty("hasActiveRun").GetBoolean());
        Assert.Equal(0, await harness.Read(c => c.Sessions.Count));
    }

    [Fact]
    public async Task Reset_aborts_the_sessions_runs_and_starts_a_new_transcript()
    {
        using var harness = GatewayHarness.Create();
        await harness.ChatAsync("say hello");
        var oldId = (await harness.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession })).GetProperty("sessionId").GetString();
        harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "long", idempotencyKey = "r" });
        await harness.Provider.Started.Task;

        var reset = await harness.OkAsync("sessions.reset", new { key = GatewayHarness.HarnessSession, reason = "reset" });

        Assert.True(reset.GetProperty("ok").GetBoolean());
        Assert.Equal(GatewayHarness.HarnessSession, reset.GetProperty("key").GetString());
        var entry = reset.GetProperty("entry");
        Assert.NotEqual(oldId, entry.GetProperty("sessionId").GetString());
        Assert.False(entry.GetProperty("hasActiveRun").GetBoolean());
        var aborted = await harness.Events.WaitForChatEndAsync("r");
        Assert.Equal("aborted", aborted.State);
        Assert.Equal("reset", aborted.Payload.GetProperty("stopReason").GetString());
        await harness.SettledAsync();
        var history = await harness.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession });
        Assert.Equal(0, history.GetProperty("messages").GetArrayLength());
        Assert.Equal(entry.GetProperty("sessionId").GetString(), history.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task Delete_removes_a_session_but_not_the_main_one()
    {
        using var harness = GatewayHarness.Create();
        await harness.ChatAsync("hi", sessionKey: "agent:main:scratch");
        await harness.ChatAsync("hi", sessionKey: "main");

        var deleted = await harness.OkAsync("sessions.delete", new { key = "agent:main:scratch" });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.False((await harness.OkAsync("sessions.delete", new { key = "agent:main:scratch" })).GetProperty("deleted").GetBoolean());

        var main = await harness.CallAsync("sessions.delete", new { key = "agent:main:main" });
        Assert.Equal(GatewayErrorCodes.InvalidRequest, main.Error?.Code);
        Assert.Equal(["agent:main:main"], (await harness.OkAsync("sessions.list")).GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        var stored = harness.Storage.Load().Sessions;
        Assert.NotNull(stored.GetValueOrDefault("agent:main:main"));
        Assert.Null(stored.GetValueOrDefault("agent:main:scratch"));
    }

    [Fact]
    public async Task The_tui_startup_lists_are_empty_but_shaped()
    {
        using var harness = GatewayHarness.Create();
        Assert.Equal("""{"subscribed":true}""", (await harness.CallAsync("sessions.subscribe", "{}")).PayloadJson);
        Assert.Equal("""{"questions":[]}""", (await harness.CallAsync("question.list", "{}")).PayloadJson);
        Assert.Equal("[]", (await harness.CallAsync("plugin.approval.list", "{}")).PayloadJson);
        Assert.Equal("""{"suggestions":[]}""", (await harness.CallAsync("taskSuggestions.list", "{}")).PayloadJson);
        Assert.Equal("""{"commands":[]}""", (await harness.CallAsync("commands.list", """{"agentId":"main","scope":"text","includeArgs":false}""")).PayloadJson);

        var agents = await harness.OkAsync("agents.list");
        Assert.Equal("main", agents.GetProperty("defaultId").GetString());
        var agent = Assert.Single(agents.GetProperty("agents").EnumerateArray());
        Assert.Equal("OpenClaw", agent.GetProperty("name").GetString());
        Assert.Equal("echo/echo-1", agent.GetProperty("model").GetProperty("primary").GetString());
    }
}
