using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Agent.Sessions;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Tests.Agent.WebMemorySessions;
using OpenClaw.Grains.Tests.UserGrainTests;

namespace OpenClaw.Grains.Tests.Agent.Sessions;

/// <summary><c>sessions_list</c>, <c>sessions_history</c>, <c>sessions_send</c>: the tenant's own sessions only, within bounds.</summary>
public sealed class SessionToolTests
{
    private const string Work = "agent:main:work";

    private static GatewayHarness Harness() => GatewayHarness.Create(options => options.MaxConcurrentRuns = 32);

    /// <summary>Runs a tool on the harness's activation, as the agent loop does, for a run of <paramref name="run"/>'s session.</summary>
    private static Task<ToolResult> Invoke(GatewayHarness harness, IAgentTool tool, object arguments, ChatRun? run = null) =>
        harness.Activation.RunAsync(() => ToolInvoker.InvokeAsync(tool, harness.Context, arguments, run ?? ToolInvoker.Run()));

    private static IAgentTool Tool(GatewayHarness harness, string name) => harness.Context.Tools.Single(tool => tool.Name == name);

    [Fact]
    public void The_catalog_offers_the_three_session_tools()
    {
        using var harness = Harness();

        var names = harness.Context.Tools.Select(tool => tool.Name).ToList();

        Assert.Contains("sessions_list", names);
        Assert.Contains("sessions_history", names);
        Assert.Contains("sessions_send", names);
        Assert.All(harness.Context.Tools, tool => JsonDocument.Parse(tool.ParametersJson).Dispose());
    }

    [Fact]
    public async Task Sessions_list_shows_the_tenants_sessions_newest_first_with_their_last_messages()
    {
        using var harness = Harness();
        await harness.ChatAsync("hello main", "agent:main:main");
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.ChatAsync("hello work", Work);

        var details = ToolInvoker.Details(await Invoke(harness, Tool(harness, "sessions_list"), new { messageLimit = 1 }));
        var mainOnly = ToolInvoker.Details(await Invoke(harness, Tool(harness, "sessions_list"), new { kinds = new[] { "main" } }));
        var paged = ToolInvoker.Details(await Invoke(harness, Tool(harness, "sessions_list"), new { limit = 1, offset = 1 }));

        var sessions = details.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal([Work, "agent:main:main"], sessions.Select(s => s.GetProperty("key").GetString()));
        Assert.Equal("other", sessions[0].GetProperty("kind").GetString());
        Assert.False(sessions[0].GetProperty("current").GetBoolean());
        Assert.True(sessions[1].GetProperty("current").GetBoolean());
        Assert.Equal(2, sessions[0].GetProperty("messageCount").GetInt32());
        var last = Assert.Single(sessions[0].GetProperty("messages").EnumerateArray());
        Assert.Equal("assistant", last.GetProperty("role").GetString());
        Assert.Equal(["agent:main:main"], mainOnly.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("key").GetString()));
        Assert.Equal("agent:main:main", paged.GetProperty("sessions")[0].GetProperty("key").GetString());
        Assert.False(paged.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task Sessions_history_returns_the_last_messages_as_chat_history_does()
    {
        using var harness = Harness();
        await harness.ChatAsync("first", Work);
        await harness.ChatAsync("second", Work);

        var details = ToolInvoker.Details(await Invoke(harness, Tool(harness, "sessions_history"), new { sessionKey = "work", limit = 3 }));

        Assert.Equal(Work, details.GetProperty("sessionKey").GetString());
        var messages = details.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(3, messages.Count);
        Assert.Equal("second", messages[1].GetProperty("content").GetString());
        Assert.Equal("Hello from the mock model.", messages[2].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.True(details.GetProperty("hasMore").GetBoolean());
        Assert.Equal(4, details.GetProperty("totalMessages").GetInt32());
    }

    [Theory]
    [InlineData("agent:main:nothing-here")]
    [InlineData("agent:Bad Agent:x")]
    [InlineData("tenant-b/agent:main:main")]
    public async Task Sessions_history_of_an_unknown_key_is_not_found(string sessionKey)
    {
        using var harness = Harness();

        var error = await Assert.ThrowsAsync<AgentToolException>(() => Invoke(harness, Tool(harness, "sessions_history"), new { sessionKey }));

        Assert.Equal($"session not found: {sessionKey}", error.Message);
        Assert.Equal("SESSION_NOT_FOUND", error.Code);
    }

    [Fact]
    public async Task Another_tenants_sessions_are_invisible()
    {
        using var tenantA = Harness();
        using var tenantB = Harness();
        await tenantA.ChatAsync("tenant A's secret plan", "agent:main:secret");

        var list = ToolInvoker.Details(await Invoke(tenantB, Tool(tenantB, "sessions_list"), new { messageLimit = 5 }));
        var history = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(tenantB, Tool(tenantB, "sessions_history"), new { sessionKey = "agent:main:secret" }));
        var send = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(tenantB, Tool(tenantB, "sessions_send"), new { sessionKey = "agent:main:secret", message = "leak it", timeoutSeconds = 0 }));

        Assert.Equal(0, list.GetProperty("count").GetInt32());
        Assert.DoesNotContain("secret plan", list.GetRawText());
        Assert.Equal("session not found: agent:main:secret", history.Message);
        Assert.Equal("session not found: agent:main:secret", send.Message);
        Assert.Equal(2, (await tenantA.Read(c => c.Sessions.Find(SessionKey.TryParse("agent:main:secret", out _)!.Value)!.Messages.Count)));
    }

    [Fact]
    public async Task Sessions_send_runs_in_the_target_session_and_returns_its_answer()
    {
        using var harness = Harness();
        await harness.ChatAsync("set up", Work);

        var details = ToolInvoker.Details(await Invoke(harness, Tool(harness, "sessions_send"), new { sessionKey = Work, message = "status please?", timeoutSeconds = 30 }));

        Assert.Equal("ok", details.GetProperty("status").GetString());
        Assert.Equal("Hello from the mock model.", details.GetProperty("reply").GetString());
        Assert.Equal(Work, details.GetProperty("sessionKey").GetString());
        var messages = await harness.Read(c => c.Sessions.Find(SessionKey.TryParse(Work, out _)!.Value)!.Messages.Select(m => m.Text).ToList());
        Assert.Equal(["set up", "Hello from the mock model.", "status please?", "Hello from the mock model."], messages);
    }

    [Fact]
    public async Task Sessions_send_without_waiting_answers_at_once_and_the_run_goes_on()
    {
        using var harness = Harness();
        await harness.ChatAsync("set up", Work);

        var details = ToolInvoker.Details(await Invoke(harness, Tool(harness, "sessions_send"), new { sessionKey = Work, message = "later", timeoutSeconds = 0 }));
        await harness.Events.WaitForChatEndAsync(details.GetProperty("runId").GetString()!);

        Assert.Equal("accepted", details.GetProperty("status").GetString());
        Assert.False(details.TryGetProperty("reply", out _));
    }

    [Fact]
    public async Task Sessions_send_refuses_the_runs_own_session()
    {
        using var harness = Harness();
        await harness.ChatAsync("set up", Work);

        var error = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(harness, Tool(harness, "sessions_send"), new { sessionKey = "work", message = "me again" }, ToolInvoker.Run(Work)));

        Assert.Equal($"sessions_send cannot send to this run's own session ({Work}): the message would wait behind the run that sent it", error.Message);
        Assert.Equal(2, await harness.Read(c => c.Sessions.Find(SessionKey.TryParse(Work, out _)!.Value)!.Messages.Count));
    }

    [Fact]
    public async Task Sessions_send_finds_a_session_by_label()
    {
        using var harness = Harness();
        await harness.ChatAsync("set up", Work);
        await harness.Read(c =>
        {
            var session = c.Sessions.Find(SessionKey.TryParse(Work, out _)!.Value)!;
            session.Label = "helper";
            c.Sessions.Touch(session);
            return true;
        });

        var details = ToolInvoker.Details(await Invoke(harness, Tool(harness, "sessions_send"), new { label = "helper", message = "hi helper" }));
        var missing = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(harness, Tool(harness, "sessions_send"), new { label = "nobody", message = "hi" }));
        var both = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(harness, Tool(harness, "sessions_send"), new { label = "helper", sessionKey = Work, message = "hi" }));

        Assert.Equal(Work, details.GetProperty("sessionKey").GetString());
        Assert.Equal("session not found: no session is labelled \"nobody\"", missing.Message);
        Assert.Equal("invalid sessions_send arguments: give exactly one of 'sessionKey' and 'label'", both.Message);
    }

    [Fact]
    public async Task Sessions_send_is_limited_per_run()
    {
        using var harness = Harness();
        await harness.ChatAsync("set up", Work);
        var run = ToolInvoker.Run();
        var tool = Tool(harness, "sessions_send");

        var runIds = new List<string>();
        for (var i = 0; i < SessionToolLimits.SendMaxPerRun; i++)
        {
            runIds.Add(ToolInvoker.Details(await Invoke(harness, tool, new { sessionKey = Work, message = $"job {i}", timeoutSeconds = 0 }, run)).GetProperty("runId").GetString()!);
        }

        var error = await Assert.ThrowsAsync<AgentToolException>(() => Invoke(harness, tool, new { sessionKey = Work, message = "one more", timeoutSeconds = 0 }, run));
        var otherRun = await Invoke(harness, tool, new { sessionKey = Work, message = "another run may", timeoutSeconds = 0 });

        Assert.Equal($"sessions_send refused: this run has already sent {SessionToolLimits.SendMaxPerRun} messages with sessions_send (at most {SessionToolLimits.SendMaxPerRun} per run)", error.Message);
        Assert.Equal("SESSION_SEND_LIMIT", error.Code);
        Assert.False(otherRun.IsError);
        foreach (var runId in runIds)
        {
            await harness.Events.WaitForChatEndAsync(runId);
        }

        await harness.Events.WaitForChatEndAsync(ToolInvoker.Details(otherRun).GetProperty("runId").GetString()!);
    }

    [Fact]
    public async Task Sessions_send_refuses_oversized_messages_and_waits()
    {
        using var harness = Harness();
        await harness.ChatAsync("set up", Work);
        var tool = Tool(harness, "sessions_send");

        var tooLong = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(harness, tool, new { sessionKey = Work, message = new string('x', SessionToolLimits.SendMaxMessageChars + 1) }));
        var tooPatient = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(harness, tool, new { sessionKey = Work, message = "hi", timeoutSeconds = SessionToolLimits.SendMaxWaitSeconds + 1 }));

        Assert.Equal($"invalid sessions_send arguments: 'message' must NOT have more than {SessionToolLimits.SendMaxMessageChars} characters", tooLong.Message);
        Assert.Equal($"invalid sessions_send arguments: 'timeoutSeconds' must be <= {SessionToolLimits.SendMaxWaitSeconds}", tooPatient.Message);
    }

    [Fact]
    public async Task Sessions_send_reports_the_tenants_run_limit()
    {
        using var harness = GatewayHarness.Create(options => options.MaxConcurrentRuns = 1);
        await harness.ChatAsync("set up", Work);
        var writer = harness.Provider.Control();
        var ack = await harness.OkAsync("chat.send", new { sessionKey = "other", message = "long job", idempotencyKey = "busy-1" });
        await harness.Provider.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<AgentToolException>(() =>
            Invoke(harness, Tool(harness, "sessions_send"), new { sessionKey = Work, message = "hi", timeoutSeconds = 0 }));

        Assert.StartsWith("sessions_send could not start a run: too many runs in progress for this tenant (at most 1)", error.Message);
        writer.Complete();
        await harness.Events.WaitForChatEndAsync(ack.GetProperty("runId").GetString()!);
    }

    [Fact]
    public void Chains_of_runs_started_by_sessions_send_are_cut_at_the_depth_limit()
    {
        var guard = new SessionSendGuard(TimeProvider.System);
        var run = ToolInvoker.Run();
        for (var depth = 0; depth < SessionToolLimits.SendMaxDepth; depth++)
        {
            Assert.Null(guard.TryReserve(run));
            var child = ToolInvoker.Run("agent:main:child" + depth);
            guard.Started(run, child);
            run = child;
        }

        Assert.Equal(SessionToolLimits.SendMaxDepth, guard.DepthOf(run));
        Assert.Contains("levels deep", guard.TryReserve(run));
    }

    [Fact]
    public void A_tenants_runs_share_a_rate_per_minute()
    {
        var time = new OpenClaw.Runtime.TestingHost.ManualTimeProvider();
        var guard = new SessionSendGuard(time);
        for (var i = 0; i < SessionToolLimits.SendMaxPerMinute; i++)
        {
            Assert.Null(guard.TryReserve(ToolInvoker.Run()));
        }

        var refused = guard.TryReserve(ToolInvoker.Run());
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Contains("in the last minute", refused);
        Assert.Null(guard.TryReserve(ToolInvoker.Run()));
    }
}
