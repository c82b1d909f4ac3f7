using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;
using OpenClaw.Silo.Tests.Admin;

namespace OpenClaw.Silo.Tests.Cron;

/// <summary>
/// The acceptance test: a cron job of a dormant tenant fires after a silo restart, activates
/// the tenant, runs, and the tenant is collected again afterwards. Real silos on one data directory
/// (embedded storage: file grain state, SQLite tenants and reminders). The configuration shortens what
/// would otherwise take minutes: idle activations are collected after 2 s (scanned every 250 ms) and the
/// reminder service rereads its table every second.
/// </summary>
public sealed class DormantTenantCronTests : IDisposable
{
    private const string TenantId = "cron-sleeper";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan DueIn = TimeSpan.FromSeconds(6);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["multiTenant:userIdleTimeoutMs"] = "2000", // the tenants' collection age (it overrides runtime:CollectionAge)
        ["runtime:CollectionQuantum"] = "00:00:00.250",
        ["reminders:RefreshInterval"] = "00:00:01",
    };

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_dormant_tenants_job_fires_after_a_silo_restart_runs_and_the_tenant_is_collected_again()
    {
        string jobId;
        DateTimeOffset dueAt;
        await using (var first = await AdminTestSilo.StartAsync(_data.Path, Settings))
        {
            await first.CreateTenantAsync(TenantId);
            dueAt = DateTimeOffset.UtcNow + DueIn;
            var added = await InvokeAsync(first.Services, "cron.add", new
            {
                name = "wake me",
                schedule = new { kind = "at", at = dueAt.ToString("O") },
                payload = new { kind = "agentTurn", message = "Good morning!" },
            });
            jobId = added.GetProperty("id").GetString()!;
            var reminder = await Reminders(first.Services).GetAsync(Grain(first.Services), UserGrain.ScheduleReminderName);
            Assert.NotNull(reminder);
        }

        Assert.True(DateTimeOffset.UtcNow < dueAt, "the first silo took too long to stop: the job was due before the restart");
        var restartedAt = DateTimeOffset.UtcNow;
        await using var second = await AdminTestSilo.StartAsync(_data.Path, Settings);
        var lookup = second.Services.GetRequiredService<IGrainActivationLookup>();
        var grain = Grain(second.Services);
        if (DateTimeOffset.UtcNow < dueAt - TimeSpan.FromSeconds(1))
        {
            Assert.False(await lookup.IsActiveAsync(grain, CancellationToken.None)); // dormant until the reminder wakes it
        }

        // Watched in storage, not through the grain: a call would activate the tenant itself.
        CronRun? run = null;
        await Eventually.TrueAsync(async () =>
        {
            run = await StoredRunAsync(second.Services, jobId);
            return run is { Status: "ok" or "error" };
        }, Deadline, "the job's run being recorded");
        Assert.Equal("ok", run!.Status);
        Assert.True(run.StartedAtMs >= restartedAt.ToUnixTimeMilliseconds(), "the run started before the restart");
        Assert.Contains("Good morning!", run.Summary, StringComparison.Ordinal); // the echo provider's answer

        await Eventually.TrueAsync(async () => !await lookup.IsActiveAsync(grain, CancellationToken.None), Deadline, "the tenant being collected");
        Assert.Empty(await Reminders(second.Services).ListAsync(grain)); // the one-shot job is done: nothing keeps waking the tenant

        // And what it did is there when the tenant is asked again.
        var runs = await InvokeAsync(second.Services, "cron.runs", new { id = jobId });
        Assert.Equal("ok", runs.GetProperty("entries")[0].GetProperty("status").GetString());
        var history = await InvokeAsync(second.Services, "chat.history", new { sessionKey = $"agent:main:cron:{jobId}" });
        Assert.Equal(2, history.GetProperty("messages").GetArrayLength());
    }

    private static IReminderRegistry Reminders(IServiceProvider services) => services.GetRequiredService<IReminderRegistry>();

    private static GrainId Grain(IServiceProvider services) =>
        ((GrainReference)(object)services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(TenantId)).GrainId;

    private static async Task<JsonElement> InvokeAsync(IServiceProvider services, string method, object parameters)
    {
        var reply = await services.GetRequiredService<IGrainFactory>().GetGrain<IUserGrain>(TenantId).Invoke(new GatewayCall
        {
            Method = method,
            ParamsJson = JsonSerializer.Serialize(parameters),
            ConnectionId = "cron-test",
            Scopes = [GatewayMethodCatalog.ScopeAdmin],
        });
        Assert.True(reply.Ok, $"{method}: {reply.Error?.Message}");
        return JsonDocument.Parse(reply.PayloadJson!).RootElement.Clone();
    }

    /// <summary>The job's newest run as the tenant stored it (its <c>cron</c> record), without activating the tenant.</summary>
    private static async Task<CronRun?> StoredRunAsync(IServiceProvider services, string jobId)
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default);
        var grain = Grain(services);
        var stored = await storage.ReadAsync(new GrainStateKey(grain.Type, TenantId, "cron"), CancellationToken.None);
        if (stored?.Data is not { } data)
        {
            return null;
        }

        using var document = JsonDocument.Parse(data);
        return document.RootElement.GetProperty("runs").EnumerateArray()
            .Where(r => r.GetProperty("jobId").GetString() == jobId)
            .Select(r => new CronRun(
                r.GetProperty("status").GetString()!,
                r.TryGetProperty("startedAtMs", out var started) ? started.GetInt64() : 0,
                r.TryGetProperty("summary", out var summary) ? summary.GetString() ?? "" : ""))
            .LastOrDefault();
    }

    private sealed record CronRun(string Status, long StartedAtMs, string Summary);
}
