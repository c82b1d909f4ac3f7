using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenClaw.Operations.Telemetry;
using OpenClaw.Runtime;

namespace OpenClaw.Silo.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class HealthProbeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Live_and_ready_answer_200_while_the_silo_serves_and_health_still_works()
    {
        await using var silo = await TelemetrySilo.StartAsync();
        using var http = silo.Http();

        using var live = await http.GetAsync("health/live");
        using var ready = await http.GetAsync("health/ready");
        using var legacy = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Equal("healthy", report.GetProperty("checks").GetProperty("silo").GetProperty("status").GetString());
        Assert.Equal("healthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Not_ready_while_starting_ready_once_serving_not_ready_while_draining()
    {
        using var data = new TempDirectory();
        var starting = new GatedParticipant(SiloLifecycleStage.Activations);
        var draining = new GatedParticipant(SiloLifecycleStage.Serving);
        var app = TelemetrySilo.Build(data, services: s =>
        {
            s.AddSingleton<ISiloLifecycleParticipant>(starting);
            s.AddSingleton<ISiloLifecycleParticipant>(draining);
        });
        await using (app)
        {
            var checks = app.Services.GetRequiredService<HealthCheckService>();
            var start = app.StartAsync();
            await starting.Entered.WaitAsync(Deadline);
            var whileStarting = await ReadyAsync(checks);
            Assert.Equal(HealthStatus.Unhealthy, whileStarting.Status);
            Assert.StartsWith("starting", whileStarting.Entries["silo"].Description);

            starting.Release();
            await start.WaitAsync(Deadline);
            Assert.Equal(HealthStatus.Healthy, (await ReadyAsync(checks)).Status);

            var stop = app.StopAsync();
            await draining.Entered.WaitAsync(Deadline);
            var whileDraining = await ReadyAsync(checks);
            Assert.Equal(HealthStatus.Unhealthy, whileDraining.Status);
            Assert.Equal("draining", whileDraining.Entries["silo"].Description);
            draining.Release();
            await stop.WaitAsync(Deadline);
        }
    }

    [Fact]
    public async Task Not_ready_when_the_postgres_store_is_unreachable()
    {
        // A port nothing listens on: the store check fails quickly and names no connection string.
        var check = new OpenClaw.Silo.Telemetry.StoreReachableCheck(Microsoft.Extensions.Options.Options.Create(new Configuration.StorageOptions
        {
            Provider = Configuration.StorageOptions.Postgres,
            PostgresConnectionString = "Host=127.0.0.1;Port=9;Username=u;Password=secret-password;Timeout=2",
        }));
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.DoesNotContain("secret-password", result.Description);
    }

    private static Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport> ReadyAsync(HealthCheckService checks) =>
        checks.CheckHealthAsync(c => c.Tags.Contains(HealthProbes.ReadyTag));

    /// <summary>A lifecycle participant whose start (or stop, for <see cref="SiloLifecycleStage.Serving"/>) waits until released.</summary>
    private sealed class GatedParticipant(SiloLifecycleStage stage) : ISiloLifecycleParticipant
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SiloLifecycleStage Stage => stage;
        public Task Entered => _entered.Task;
        public void Release() => _released.TrySetResult();

        public Task StartAsync(CancellationToken cancellationToken) => stage == SiloLifecycleStage.Serving ? Task.CompletedTask : Wait();

        public Task StopAsync(CancellationToken cancellationToken) => stage == SiloLifecycleStage.Serving ? Wait() : Task.CompletedTask;

        private Task Wait()
        {
            _entered.TrySetResult();
            return _released.Task;
        }
    }
}
