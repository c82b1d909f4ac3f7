using System.Text.Json;
using OpenClaw.Grains.Gateway.Cron;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tests.Cron;

/// <summary>The tenant's heartbeat: config, on/off, scheduling through the reminder, silent replies, wake and system events.</summary>
public sealed class HeartbeatTests
{
    private static async Task EnableAsync(CronHarness h, string every = "30m") =>
        await h.OkAsync("config.patch", new { raw = new { heartbeat = new { enabled = true, every } } });

    [Fact]
    public async Task Heartbeats_are_off_by_default_and_config_patch_turns_them_on_with_their_cadence()
    {
        using var h = CronHarness.Create();
        var config = await h.OkAsync("config.get", new { });
        Assert.False(config.GetProperty("config").GetProperty("heartbeat").GetProperty("enabled").GetBoolean());
        Assert.Equal("30m", config.GetProperty("config").GetProperty("heartbeat").GetProperty("every").GetString());
        Assert.Empty(h.Schedule.Calls);

        await EnableAsync(h, "45m");

        config = await h.OkAsync("config.get", new { });
        Assert.True(config.GetProperty("config").GetProperty("heartbeat").GetProperty("enabled").GetBoolean());
        Assert.Equal("45m", config.GetProperty("config").GetProperty("heartbeat").GetProperty("every").GetString());
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(45), h.Schedule.Current);

        var status = await h.OkAsync("cron.status", new { });
        Assert.True(status.GetProperty("heartbeat").GetProperty("enabled").GetBoolean());
        Assert.Equal(45 * 60_000, status.GetProperty("heartbeat").GetProperty("everyMs").GetInt64());
    }

    [Theory]
    [InlineData("""{"every":"1m"}""", "must be at least 5 min")]
    [InlineData("""{"every":"soon"}""", "must be a duration")]
    [InlineData("""{"enabled":"yes"}""", "must be a boolean")]
    [InlineData("""{"target":"owner"}""", "unknown config key 'raw.heartbeat.target'")]
    [InlineData("""42""", "must be an object or null")]
    public async Task Bad_heartbeat_config_is_refused(string heartbeat, string message)
    {
        using var h = CronHarness.Create();
        var raw = JsonDocument.Parse($$$"""{"heartbeat":{{{heartbeat}}}}""").RootElement;
        Assert.Contains(message, await h.ErrorAsync("config.patch", new { raw }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_no_reply_heartbeat_is_not_announced_and_the_heartbeat_is_rescheduled()
    {
        using var h = CronHarness.Create();
        h.Provider.Answer = ["NO_", "REPLY"];
        await EnableAsync(h);

        await h.FireReminderAsync();

        var beat = await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat", "heartbeat event");
        Assert.Equal("ran", beat.Payload.GetProperty("status").GetString());
        Assert.Equal("no-reply", beat.Payload.GetProperty("reason").GetString());
        Assert.Null(beat.RequiredScope);
        await h.Gateway.SettledAsync();

        Assert.Equal(CronOptions.DefaultHeartbeatPrompt, h.Provider.Calls.Single().Request.Messages[^1].Content);
        Assert.DoesNotContain(h.Gateway.Events.Events, e => e.Name == "chat" && e.Json.Contains("NO_", StringComparison.Ordinal));
        var history = await h.OkAsync("chat.history", new { sessionKey = "main" });
        Assert.DoesNotContain(history.GetProperty("messages").EnumerateArray(), m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(30), h.Schedule.Current);

        var last = await h.OkAsync("last-heartbeat");
        Assert.Equal("ran", last.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("HEARTBEAT_OK")]
    [InlineData("All quiet. HEARTBEAT_OK")]
    public async Task Legacy_heartbeat_ok_replies_are_suppressed_too(string answer)
    {
        using var h = CronHarness.Create();
        h.Provider.Answer = [answer];
        await EnableAsync(h);
        await h.FireReminderAsync();
        var beat = await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat", "heartbeat event");
        Assert.Equal("ran", beat.Payload.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_heartbeat_with_something_to_say_is_announced_in_the_main_session()
    {
        using var h = CronHarness.Create();
        h.Provider.Answer = ["Your build ", "is red."];
        await EnableAsync(h);

        await h.FireReminderAsync();

        var beat = await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat", "heartbeat event");
        Assert.Equal("sent", beat.Payload.GetProperty("status").GetString());
        Assert.Equal("Your build is red.", beat.Payload.GetProperty("preview").GetString());
        await h.Gateway.SettledAsync();
        var history = await h.OkAsync("chat.history", new { sessionKey = "main" });
        Assert.Equal("Your build is red.", history.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Empty(h.Gateway.Events.Events.Where(e => e.Name == "chat" && e.State == "delta")); // not streamed live
    }

    [Fact]
    public async Task Set_heartbeats_turns_them_off_and_removes_the_wake_up()
    {
        using var h = CronHarness.Create();
        await EnableAsync(h);
        Assert.NotNull(h.Schedule.Current);

        var reply = await h.OkAsync("set-heartbeats", new { enabled = false });
        Assert.False(reply.GetProperty("enabled").GetBoolean());
        Assert.Null(h.Schedule.Current);

        await h.OkAsync("set-heartbeats", new { enabled = true });
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(30), h.Schedule.Current);
        Assert.Equal("missing scope: operator.admin",
            (await h.Gateway.CallAsync("set-heartbeats", new { enabled = false }, scopes: [GatewayMethodCatalog.ScopeWrite])).Error?.Message);
    }

    [Fact]
    public async Task Wake_now_runs_a_heartbeat_with_the_text_and_next_heartbeat_keeps_it_for_later()
    {
        using var h = CronHarness.Create();
        h.Provider.Answer = ["NO_REPLY"];

        var queued = await h.Gateway.CallAsync("wake", new { mode = "next-heartbeat", text = "The deploy finished." }, scopes: [GatewayMethodCatalog.ScopeWrite]);
        Assert.True(queued.Ok, queued.Error?.Message);
        Assert.Empty(h.Provider.Calls);
        Assert.Equal(1, (await h.OkAsync("cron.status", new { })).GetProperty("heartbeat").GetProperty("pendingSystemEvents").GetInt32());

        await h.OkAsync("wake", new { mode = "now", text = "The tests passed." });
        await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat", "heartbeat event");
        var prompt = h.Provider.Calls.Single().Request.Messages[^1].Content;
        Assert.Contains("The deploy finished.", prompt, StringComparison.Ordinal);
        Assert.Contains("The tests passed.", prompt, StringComparison.Ordinal);
        Assert.Equal(0, (await h.OkAsync("cron.status", new { })).GetProperty("heartbeat").GetProperty("pendingSystemEvents").GetInt32());
    }

    [Fact]
    public async Task System_event_needs_admin_and_pending_events_are_bounded()
    {
        using var h = CronHarness.Create(options => options.Cron.MaxPendingSystemEvents = 3);
        Assert.Equal("missing scope: operator.admin",
            (await h.Gateway.CallAsync("system-event", new { text = "x" }, scopes: [GatewayMethodCatalog.ScopeWrite])).Error?.Message);

        for (var i = 0; i < 10; i++)
        {
            await h.OkAsync("system-event", new { text = $"event {i}" });
        }

        Assert.Equal(["event 7", "event 8", "event 9"], await h.Gateway.Read(c => c.State.Cron.PendingSystemEvents.ToList()));
        Assert.Contains("'mode' must be", await h.ErrorAsync("wake", new { mode = "later", text = "x" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_heartbeat_is_skipped_while_the_main_session_is_busy()
    {
        using var h = CronHarness.Create();
        var stream = h.Provider.Control();
        await h.OkAsync("chat.send", new { sessionKey = "main", message = "long task", idempotencyKey = "busy-1" });
        await h.Provider.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await h.OkAsync("wake", new { mode = "now", text = "ping" });

        var beat = await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat", "heartbeat event");
        Assert.Equal("skipped", beat.Payload.GetProperty("status").GetString());
        Assert.Equal("requests-in-flight", beat.Payload.GetProperty("reason").GetString());
        Assert.Single(h.Provider.Calls);
        stream.Complete();
    }

    [Fact]
    public async Task Wakes_that_run_heartbeats_are_rate_limited()
    {
        using var h = CronHarness.Create();
        h.Provider.Answer = ["NO_REPLY"];
        await h.OkAsync("wake", new { mode = "now", text = "first" });
        await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat" && e.Payload.GetProperty("status").GetString() == "ran", "first heartbeat");

        await h.OkAsync("wake", new { mode = "now", text = "second" });
        var limited = await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat" && e.Payload.GetProperty("status").GetString() == "skipped", "rate limit");
        Assert.Equal("rate-limited", limited.Payload.GetProperty("reason").GetString());
        Assert.Single(h.Provider.Calls);

        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.OkAsync("wake", new { mode = "now", text = "third" });
        await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat" && e.Payload.GetProperty("status").GetString() == "ran"
            && e.Payload.GetProperty("ts").GetInt64() >= h.NowMs, "third heartbeat");
        var prompt = h.Provider.Calls[^1].Request.Messages[^1].Content;
        Assert.Contains("second", prompt, StringComparison.Ordinal); // the limited wake's text was kept for it
        Assert.Contains("third", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_config_changes_do_not_push_the_next_heartbeat_out()
    {
        using var h = CronHarness.Create();
        await EnableAsync(h);
        var due = h.Schedule.Current;

        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.OkAsync("config.patch", new { raw = new { agentName = "Clawd" } });
        await h.OkAsync("config.patch", new { raw = new { heartbeat = new { prompt = "Anything new?" } } });
        Assert.Equal(due, h.Schedule.Current);

        await h.OkAsync("config.patch", new { raw = new { heartbeat = new { every = "1h" } } });
        Assert.Equal(h.Time.GetUtcNow().AddHours(1), h.Schedule.Current);
    }
}
