using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.ControlPlane.Monitor.Handlers;
using OpenClaw.Grains.ControlPlane.Monitor.Webhooks;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tests.Egress;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>
/// The real <see cref="MonitorGrain"/> in a test silo with a manual clock, fed by fake statistics
/// and sync status. Without the keeper (the default) nothing evaluates unless the test says so.
/// </summary>
internal sealed class MonitorHarness : IAsyncDisposable
{
    private TestSilo? _silo;

    private MonitorHarness(MonitorOptions options) => Options = options;

    public TestSilo Silo => _silo!;
    public MonitorOptions Options { get; }
    public FakeClusterStatsReader Stats { get; } = new();
    public FakeConfigSyncStatusReader Sync { get; } = new();
    public RecordingAlertHandler Handler { get; } = new();
    public LogCapture Logs { get; } = new();

    public IMonitorGrain Monitor => Silo.GrainFactory.GetGrain<IMonitorGrain>(IMonitorGrain.ClusterKey);

    public AlertWebhookDispatcher Webhooks => Silo.Services.GetRequiredService<AlertWebhookDispatcher>();

    public static async Task<MonitorHarness> StartAsync(Action<MonitorOptions>? configure = null, bool keeper = false)
    {
        var options = new MonitorOptions();
        configure?.Invoke(options);
        var harness = new MonitorHarness(options);
        harness._silo = await TestSilo.StartAsync(typeof(MonitorGrain).Assembly, configureServices: services =>
        {
            services.AddSingleton<IClusterStatsReader>(harness.Stats);
            services.AddSingleton<IConfigSyncStatusReader>(harness.Sync);
            services.AddClusterMonitor(configure: configure);
            services.AddSingleton<IAlertHandler>(harness.Handler);
            services.AddSingleton<ILoggerProvider>(harness.Logs);
            services.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Debug);
            if (!keeper)
            {
                foreach (var descriptor in services.Where(d => d.ImplementationType == typeof(MonitorKeeper)).ToList()) services.Remove(descriptor);
            }
        });
        return harness;
    }

    public TimeSpan Interval => Options.Interval;

    /// <summary>One interval later, one evaluation.</summary>
    public async Task<IReadOnlyList<AlertRecord>> StepAsync()
    {
        Silo.Time.Advance(Interval);
        return await Monitor.EvaluateNow();
    }

    public async Task<IReadOnlyList<AlertRecord>> StepAsync(int times)
    {
        IReadOnlyList<AlertRecord> active = [];
        for (var i = 0; i < times; i++) active = await StepAsync();
        return active;
    }

    public ValueTask DisposeAsync() => Silo.DisposeAsync();
}
