using System.Text.Json;
using OpenClaw.Grains.Tests.UserGrainTests;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.Cron;

/// <summary>A tenant's gateway with a fake reminder (see <see cref="FakeTenantSchedule"/>) and helpers for its jobs.</summary>
internal sealed class CronHarness : IDisposable
{
    private CronHarness(GatewayHarness gateway, FakeTenantSchedule schedule)
    {
        Gateway = gateway;
        Schedule = schedule;
    }

    public GatewayHarness Gateway { get; }

    public FakeTenantSchedule Schedule { get; }

    public ManualTimeProvider Time => Gateway.Time;

    public ScriptedLlmProvider Provider => Gateway.Provider;

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public static CronHarness Create(Action<UserGrainOptions>? configure = null, TestStateStorage? storage = null)
    {
        var schedule = new FakeTenantSchedule();
        return new CronHarness(GatewayHarness.Create(configure, storage: storage, schedule: schedule), schedule);
    }

    public Task<JsonElement> OkAsync(string method, object? parameters = null) => Gateway.OkAsync(method, parameters);

    /// <summary>The call's error message (asserts that it failed).</summary>
    public async Task<string> ErrorAsync(string method, object parameters, IReadOnlyList<string>? scopes = null)
    {
        var reply = await Gateway.CallAsync(method, parameters, scopes);
        Assert.False(reply.Ok, $"{method} unexpectedly succeeded: {reply.PayloadJson}");
        return reply.Error!.Message;
    }

    public async Task<string> AddEveryAsync(string name = "check mail", long everyMs = 3_600_000, string message = "Check the mail.")
    {
        var job = await OkAsync("cron.add", new
        {
            name,
            schedule = new { kind = "every", everyMs },
            payload = new { kind = "agentTurn", message },
        });
        return job.GetProperty("id").GetString()!;
    }

    /// <summary>What the grain does when its reminder fires: the due jobs run, then it re-arms.</summary>
    public Task TickAsync() => Gateway.Activation.RunAsync(async () =>
    {
        await Gateway.Context.Cron.TickAsync();
        return true;
    });

    /// <summary>Moves the clock to the reminder's due time (as the reminder service would fire it) and fires it.</summary>
    public async Task FireReminderAsync()
    {
        var due = Schedule.Current ?? throw new InvalidOperationException("no reminder is registered");
        if (due > Time.GetUtcNow())
        {
            Time.Advance(due - Time.GetUtcNow());
        }

        await TickAsync();
    }

    public async Task<JsonElement> WaitForRunEndAsync(string runId)
    {
        await Gateway.Events.WaitForAsync(e => e.Name == "cron" && e.Payload.GetProperty("action").GetString() == "finished"
            && e.Payload.GetProperty("runId").GetString() == runId, $"cron finished {runId}");
        await Gateway.SettledAsync();
        var runs = await OkAsync("cron.runs", new { runId });
        return Assert.Single(runs.GetProperty("entries").EnumerateArray());
    }

    public IReadOnlyList<RecordedEvent> CronEvents(string action) =>
        Gateway.Events.Events.Where(e => e.Name == "cron" && e.Payload.GetProperty("action").GetString() == action).ToList();

    public void Dispose() => Gateway.Dispose();
}
