using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tests.UserGrainTests;

namespace OpenClaw.Grains.Tests.Cron;

/// <summary><c>cron.*</c> over the tenant's own jobs: shapes, bounds, refused payloads, scheduling through the reminder.</summary>
public sealed class CronMethodTests
{
    [Fact]
    public async Task Add_returns_the_job_with_its_next_run_and_arms_the_reminder_for_it()
    {
        using var h = CronHarness.Create();
        var created = h.NowMs;

        var job = await h.OkAsync("cron.add", new
        {
            name = "morning brief",
            schedule = new { kind = "every", everyMs = 3_600_000 },
            payload = new { kind = "agentTurn", message = "Summarize my day.", timeoutSeconds = 120 },
        });

        Assert.False(string.IsNullOrEmpty(job.GetProperty("id").GetString()));
        Assert.Equal("morning brief", job.GetProperty("name").GetString());
        Assert.Equal("every", job.GetProperty("schedule").GetProperty("kind").GetString());
        Assert.Equal(3_600_000, job.GetProperty("schedule").GetProperty("everyMs").GetInt64());
        Assert.Equal("isolated", job.GetProperty("sessionTarget").GetString());
        Assert.Equal("now", job.GetProperty("wakeMode").GetString());
        Assert.Equal("agentTurn", job.GetProperty("payload").GetProperty("kind").GetString());
        Assert.Equal(120, job.GetProperty("payload").GetProperty("timeoutSeconds").GetInt32());
        Assert.True(job.GetProperty("enabled").GetBoolean());
        Assert.Equal(created, job.GetProperty("createdAtMs").GetInt64());
        Assert.Equal(created + 3_600_000, job.GetProperty("state").GetProperty("nextRunAtMs").GetInt64());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(created + 3_600_000), h.Schedule.Current);

        var added = Assert.Single(h.CronEvents("added"));
        Assert.Equal(job.GetProperty("id").GetString(), added.Payload.GetProperty("jobId").GetString());
        Assert.Equal("morning brief", added.Payload.GetProperty("job").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_cron_event_is_for_connections_with_read_scope()
    {
        using var h = CronHarness.Create();
        await h.AddEveryAsync();
        Assert.Equal(GatewayMethodCatalog.ScopeRead, Assert.Single(h.CronEvents("added")).RequiredScope);
        Assert.Contains("cron", GatewayMethodCatalog.Events);
        Assert.Contains("heartbeat", GatewayMethodCatalog.Events);
    }

    [Fact]
    public async Task List_get_update_and_remove()
    {
        using var h = CronHarness.Create();
        var first = await h.AddEveryAsync("alpha");
        var second = await h.AddEveryAsync("beta", everyMs: 7_200_000);

        var list = await h.OkAsync("cron.list", new { });
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        Assert.Equal(["alpha", "beta"], list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("name").GetString()));
        Assert.False(list.GetProperty("hasMore").GetBoolean());

        var page = await h.OkAsync("cron.list", new { limit = 1, query = "BET" });
        Assert.Equal("beta", Assert.Single(page.GetProperty("jobs").EnumerateArray()).GetProperty("name").GetString());

        var got = await h.OkAsync("cron.get", new { jobId = first });
        Assert.Equal("alpha", got.GetProperty("name").GetString());

        var updated = await h.OkAsync("cron.update", new { id = first, patch = new { enabled = false, name = "alpha 2" } });
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal("alpha 2", updated.GetProperty("name").GetString());
        Assert.False(updated.GetProperty("state").TryGetProperty("nextRunAtMs", out _));
        Assert.Single((await h.OkAsync("cron.list", new { })).GetProperty("jobs").EnumerateArray());
        Assert.Equal(2, (await h.OkAsync("cron.list", new { includeDisabled = true })).GetProperty("total").GetInt32());
        Assert.Single(h.CronEvents("updated"));

        // The reminder follows the remaining enabled job.
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(h.NowMs + 7_200_000), h.Schedule.Current);

        var removed = await h.OkAsync("cron.remove", new { id = second });
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.Null(h.Schedule.Current); // nothing enabled is left: the reminder is removed
        Assert.Single(h.CronEvents("removed"));
        Assert.Contains("unknown cron job id", await h.ErrorAsync("cron.get", new { id = second }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_survive_a_new_activation()
    {
        using var h = CronHarness.Create();
        var id = await h.AddEveryAsync("kept");

        var reloaded = h.Gateway.Storage.Load();
        var job = Assert.Single(reloaded.Cron.Jobs);
        Assert.Equal(id, job.Id);
        Assert.Equal("kept", job.Name);
        Assert.Equal(h.NowMs + 3_600_000, job.State.NextRunAtMs);
    }

    [Fact]
    public async Task Another_tenants_job_id_is_simply_unknown()
    {
        using var tenantA = CronHarness.Create();
        using var tenantB = CronHarness.Create();
        var id = await tenantA.AddEveryAsync();

        foreach (var method in new[] { "cron.get", "cron.remove", "cron.run" })
        {
            Assert.Contains($"unknown cron job id \"{id}\"", await tenantB.ErrorAsync(method, new { id }), StringComparison.Ordinal);
        }

        Assert.Contains("unknown cron job id", await tenantB.ErrorAsync("cron.update", new { id, patch = new { enabled = false } }), StringComparison.Ordinal);
        Assert.Equal(0, (await tenantB.OkAsync("cron.runs", new { id })).GetProperty("total").GetInt32());
        Assert.True((await tenantA.OkAsync("cron.get", new { id })).GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("""{"kind":"command","argv":["rm","-rf","/"]}""", "payload kind \"command\" runs code, and this gateway runs no tenant code")]
    [InlineData("""{"kind":"script","script":"process.exit()"}""", "payload kind \"script\" runs code, and this gateway runs no tenant code")]
    [InlineData("""{"kind":"http","url":"x"}""", "'payload.kind' must be \"systemEvent\" or \"agentTurn\"")]
    public async Task Payloads_that_run_code_are_refused_with_a_clear_error(string payload, string message)
    {
        using var h = CronHarness.Create();
        var error = await h.ErrorAsync("cron.add", JsonDocument.Parse($$$"""{"name":"x","schedule":{"kind":"every","everyMs":3600000},"payload":{{{payload}}}}""").RootElement);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(0, (await h.OkAsync("cron.list", new { includeDisabled = true })).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{"kind":"on-exit","command":"make"}""")]
    [InlineData("""{"kind":"stream","command":["tail","-f","x"]}""")]
    public async Task Schedules_that_run_code_are_refused(string schedule)
    {
        using var h = CronHarness.Create();
        var error = await h.ErrorAsync("cron.add", JsonDocument.Parse($$$"""{"name":"x","schedule":{{{schedule}}},"payload":{"kind":"agentTurn","message":"hi"}}""").RootElement);
        Assert.Contains("runs a command", error, StringComparison.Ordinal);
        Assert.Contains("runs no tenant code", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bounds_on_what_a_tenant_controls()
    {
        using var h = CronHarness.Create(options =>
        {
            options.Cron.MaxJobs = 2;
            options.Cron.MaxNameChars = 10;
            options.Cron.MaxTextChars = 100;
        });
        var every = new { kind = "every", everyMs = 3_600_000 };
        var turn = new { kind = "agentTurn", message = "hi" };

        Assert.Contains("'name' must NOT have more than 10 characters", await h.ErrorAsync("cron.add", new { name = new string('n', 11), schedule = every, payload = turn }), StringComparison.Ordinal);
        Assert.Contains("'payload.message' must NOT have more than 100 characters",
            await h.ErrorAsync("cron.add", new { name = "n", schedule = every, payload = new { kind = "agentTurn", message = new string('m', 101) } }), StringComparison.Ordinal);
        Assert.Contains("'schedule.everyMs' must be at least 60000",
            await h.ErrorAsync("cron.add", new { name = "n", schedule = new { kind = "every", everyMs = 1000 }, payload = turn }), StringComparison.Ordinal);
        Assert.Contains("'schedule.expr' minute value 61",
            await h.ErrorAsync("cron.add", new { name = "n", schedule = new { kind = "cron", expr = "61 * * * *" }, payload = turn }), StringComparison.Ordinal);
        Assert.Contains("unknown time zone",
            await h.ErrorAsync("cron.add", new { name = "n", schedule = new { kind = "cron", expr = "0 9 * * *", tz = "Mars/Olympus" }, payload = turn }), StringComparison.Ordinal);
        Assert.Contains("IANA time zone",
            await h.ErrorAsync("cron.add", new { name = "n", schedule = new { kind = "cron", expr = "0 9 * * *", tz = "../../etc/passwd" }, payload = turn }), StringComparison.Ordinal);
        Assert.Contains("systemEvent payload goes to the main session",
            await h.ErrorAsync("cron.add", new { name = "n", schedule = every, sessionTarget = "isolated", payload = new { kind = "systemEvent", text = "t" } }), StringComparison.Ordinal);
        Assert.Contains("unknown agent", await h.ErrorAsync("cron.add", new { name = "n", schedule = every, sessionTarget = "session:agent:other:x", payload = turn }), StringComparison.Ordinal);

        await h.AddEveryAsync("one");
        await h.AddEveryAsync("two");
        Assert.Contains("already has 2 cron jobs", await h.ErrorAsync("cron.add", new { name = "three", schedule = every, payload = turn }), StringComparison.Ordinal);
        Assert.Contains("'limit' must be <= 200", await h.ErrorAsync("cron.list", new { limit = 201 }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_history_is_bounded_per_job()
    {
        using var h = CronHarness.Create(options => options.Cron.MaxRunHistoryPerJob = 3);
        var id = await h.OkAsync("cron.add", new { name = "ping", schedule = new { kind = "every", everyMs = 3_600_000 }, payload = new { kind = "systemEvent", text = "ping" }, wakeMode = "next-heartbeat" });
        for (var i = 0; i < 5; i++)
        {
            await h.OkAsync("cron.run", new { id = id.GetProperty("id").GetString() });
        }

        var runs = await h.OkAsync("cron.runs", new { id = id.GetProperty("id").GetString() });
        Assert.Equal(3, runs.GetProperty("total").GetInt32());
        Assert.All(runs.GetProperty("entries").EnumerateArray(), run => Assert.Equal("ok", run.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Writing_jobs_needs_admin_and_reading_them_needs_read()
    {
        using var h = CronHarness.Create();
        var reply = await h.Gateway.CallAsync("cron.add", new { name = "x" }, scopes: [GatewayMethodCatalog.ScopeWrite]);
        Assert.Equal("missing scope: operator.admin", reply.Error?.Message);
        Assert.True((await h.Gateway.CallAsync("cron.list", "{}", scopes: [GatewayMethodCatalog.ScopeRead])).Ok);
        Assert.False((await h.Gateway.CallAsync("cron.list", "{}", scopes: [])).Ok);
    }

    [Fact]
    public async Task The_reminder_fires_the_job_runs_its_run_is_recorded_and_the_reminder_is_rearmed()
    {
        using var h = CronHarness.Create();
        var id = await h.AddEveryAsync(message: "Check the mail.");
        var firstDue = h.Schedule.Current!.Value;

        await h.FireReminderAsync();

        var started = Assert.Single(h.CronEvents("started"));
        var runId = started.Payload.GetProperty("runId").GetString()!;
        Assert.Equal(firstDue.ToUnixTimeMilliseconds(), started.Payload.GetProperty("runAtMs").GetInt64());
        var run = await h.WaitForRunEndAsync(runId);
        Assert.Equal("ok", run.GetProperty("status").GetString());
        Assert.Equal(id, run.GetProperty("jobId").GetString());
        Assert.Equal($"agent:main:cron:{id}", run.GetProperty("sessionKey").GetString());
        Assert.Equal("Hello from the mock model.", run.GetProperty("summary").GetString());
        Assert.Equal("ok", Assert.Single(h.CronEvents("finished")).Payload.GetProperty("status").GetString());

        // The agent turn ran through the normal run machinery, in the job's own session.
        var history = await h.OkAsync("chat.history", new { sessionKey = $"agent:main:cron:{id}" });
        Assert.Equal(2, history.GetProperty("messages").GetArrayLength());

        var job = await h.OkAsync("cron.get", new { id });
        Assert.Equal("ok", job.GetProperty("state").GetProperty("lastRunStatus").GetString());
        Assert.Equal(firstDue.ToUnixTimeMilliseconds() + 3_600_000, job.GetProperty("state").GetProperty("nextRunAtMs").GetInt64());
        Assert.Equal(firstDue.AddHours(1), h.Schedule.Current);
        Assert.Equal([false], h.Gateway.PinChanges.Skip(1)); // pinned only while the run was going
    }

    [Fact]
    public async Task A_missed_one_shot_job_runs_once_when_the_tenant_wakes_and_is_then_deleted()
    {
        using var h = CronHarness.Create();
        var at = h.Time.GetUtcNow().AddMinutes(5);
        var job = await h.OkAsync("cron.add", new
        {
            name = "one shot",
            schedule = new { kind = "at", at = at.ToString("O") },
            payload = new { kind = "agentTurn", message = "Remind me about the dentist." },
        });
        var id = job.GetProperty("id").GetString()!;
        Assert.True(job.GetProperty("deleteAfterRun").GetBoolean());
        Assert.Equal(at, h.Schedule.Current);

        h.Time.Advance(TimeSpan.FromHours(3)); // the tenant slept through it (a silo restart, say)
        await h.TickAsync();

        var runId = Assert.Single(h.CronEvents("started")).Payload.GetProperty("runId").GetString()!;
        Assert.Equal("ok", (await h.WaitForRunEndAsync(runId)).GetProperty("status").GetString());
        Assert.Single(h.CronEvents("removed"));
        Assert.Equal(0, (await h.OkAsync("cron.list", new { includeDisabled = true })).GetProperty("total").GetInt32());
        Assert.Null(h.Schedule.Current);
        Assert.Equal(1, (await h.OkAsync("cron.runs", new { id })).GetProperty("total").GetInt32()); // the history outlives the job
    }

    [Fact]
    public async Task Run_force_enqueues_and_returns_the_run_id_and_due_mode_waits_for_the_due_time()
    {
        using var h = CronHarness.Create();
        var id = await h.AddEveryAsync();

        var notDue = await h.OkAsync("cron.run", new { id, mode = "due" });
        Assert.False(notDue.GetProperty("enqueued").GetBoolean());
        Assert.Equal("not-due", notDue.GetProperty("reason").GetString());

        var forced = await h.OkAsync("cron.run", new { id, mode = "force" });
        Assert.True(forced.GetProperty("enqueued").GetBoolean());
        var runId = forced.GetProperty("runId").GetString()!;
        var run = await h.WaitForRunEndAsync(runId);
        Assert.Equal("force", run.GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task Cron_expressions_with_a_time_zone_schedule_at_the_local_time()
    {
        using var h = CronHarness.Create(); // the clock starts at 2026-01-01T00:00Z
        var job = await h.OkAsync("cron.add", new
        {
            name = "standup",
            schedule = new { kind = "cron", expr = "0 9 * * 1-5", tz = "Europe/Berlin" },
            payload = new { kind = "agentTurn", message = "Standup notes." },
        });

        // Thursday 1 January 09:00 CET = 08:00Z.
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), job.GetProperty("state").GetProperty("nextRunAtMs").GetInt64());
        Assert.Equal("Europe/Berlin", job.GetProperty("schedule").GetProperty("tz").GetString());
    }

    [Fact]
    public async Task A_system_event_job_wakes_the_heartbeat_with_its_text()
    {
        using var h = CronHarness.Create();
        h.Provider.Answer = ["NO_REPLY"];
        await h.OkAsync("cron.add", new
        {
            name = "water",
            schedule = new { kind = "every", everyMs = 3_600_000 },
            payload = new { kind = "systemEvent", text = "Remind the user to drink water." },
        });

        await h.FireReminderAsync();

        await h.Gateway.Events.WaitForAsync(e => e.Name == "heartbeat", "heartbeat");
        var prompt = h.Provider.Calls.Single().Request.Messages[^1].Content;
        Assert.Contains("Remind the user to drink water.", prompt, StringComparison.Ordinal);
        Assert.Contains("reply NO_REPLY", prompt, StringComparison.Ordinal);
    }
}
