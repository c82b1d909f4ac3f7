using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.ControlPlane.Monitor.Handlers;
using OpenClaw.Grains.ControlPlane.Monitor.Rules;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// The cluster's one monitor (<see cref="IMonitorGrain.ClusterKey"/>): every
/// <see cref="MonitorOptions.IntervalMs"/> it reads every silo's figures (<see cref="IClusterStatsReader"/>)
/// and the config sync's status, evaluates the rules, raises and resolves alerts through
/// <see cref="AlertTracker"/> and hands each change to the <see cref="IAlertHandler"/>s (log,
/// webhooks). Active alerts and the bounded history live in grain storage, so a new activation on
/// another silo (brought up by <see cref="MonitorKeeper"/> on every silo) carries on with them.
/// <para>
/// Reentrant, so that queries answer while an evaluation waits on the silos; evaluations never
/// overlap: <see cref="EvaluateNow"/> during one joins it.
/// </para>
/// </summary>
[Reentrant]
public sealed class MonitorGrain : Grain, IMonitorGrain
{
    private const string ClusterSource = "the cluster statistics";
    private const string SyncSource = "the config sync status";
    private readonly IPersistentState<MonitorState> _state;
    private readonly MonitorOptions _options;
    private readonly IConfigSyncStatusReader _sync;
    private readonly IClusterStatsReader? _stats;
    private readonly IReadOnlyList<IAlertHandler> _handlers;
    private readonly ILogger<MonitorGrain> _logger;
    private readonly IReadOnlyList<AlertRule> _rules;
    private readonly CounterWindows _windows;
    private AlertTracker _tracker = new([]);
    private IGrainTimer? _timer;
    private Task<IReadOnlyList<AlertRecord>>? _evaluation;
    private bool _dirty;
    private bool _clusterReadFailing;
    private bool _syncReadFailing;

    public MonitorGrain(
        [PersistentState("monitor")] IPersistentState<MonitorState> state,
        IOptions<MonitorOptions> options,
        IConfigSyncStatusReader sync,
        IEnumerable<IAlertHandler> handlers,
        ILogger<MonitorGrain> logger)
    {
        _state = state;
        _options = options.Value;
        _sync = sync;
        _stats = ServiceProvider.GetService<IClusterStatsReader>();
        _handlers = handlers.ToList();
        _logger = logger;
        var rules = _options.Rules;
        _rules =
        [
            new MemoryRule(rules.Memory),
            new ActiveRatioRule(rules.ActiveRatio),
            new ConfigSyncRule(rules.ConfigSync),
            new ErrorRateRule(rules.ErrorRate),
            new ProviderFailuresRule(rules.ProviderFailures),
            new SiloUnreachableRule(rules.SiloUnreachable),
        ];
        _windows = new CounterWindows(_options.Interval);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tracker = new AlertTracker(_state.State.Active);
        if (_stats is null) MonitorLog.NoStatsReader(_logger);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await TryWriteAsync(cancellationToken);
    }

    public Task EnsureRunning(CancellationToken cancellationToken)
    {
        if (!_options.Enabled || _timer is not null) return Task.CompletedTask;
        KeepAlive(true);
        _timer = RegisterGrainTimer(OnTimerAsync, new GrainTimerOptions { DueTime = TimeSpan.Zero, Period = _options.Interval, KeepAlive = true });
        MonitorLog.Started(_logger, _options.IntervalMs, _options.Webhooks.Count);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AlertRecord>> EvaluateNow(CancellationToken cancellationToken) =>
        _options.Enabled ? EvaluateOnceAsync() : Task.FromResult(_tracker.Active);

    public Task<IReadOnlyList<AlertRecord>> GetActiveAlerts(CancellationToken cancellationToken) => Task.FromResult(_tracker.Active);

    public Task<IReadOnlyList<AlertRecord>> GetAlertHistory(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var history = _state.State.History;
        IReadOnlyList<AlertRecord> newestFirst = history.AsEnumerable().Reverse().Take(Math.Min(limit, _options.HistoryLimit)).ToList();
        return Task.FromResult(newestFirst);
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EvaluateOnceAsync();
        }
        catch (Exception exception)
        {
            MonitorLog.EvaluationFailed(_logger, exception);
        }
    }

    private Task<IReadOnlyList<AlertRecord>> EvaluateOnceAsync()
    {
        if (_evaluation is { IsCompleted: false } running) return running;
        return _evaluation = EvaluateAsync();
    }

    private async Task<IReadOnlyList<AlertRecord>> EvaluateAsync()
    {
        using var deadline = new CancellationTokenSource(_options.ReadTimeout, TimeProvider);
        var clusterRead = ReadClusterAsync(deadline.Token);
        var syncRead = ReadSyncAsync(deadline.Token);
        var cluster = await clusterRead;
        var sync = await syncRead;

        var now = TimeProvider.GetUtcNow();
        var inputs = new MonitorInputs(now, cluster, sync, _windows.Record(now, cluster));
        var transitions = new List<AlertTransition>();
        foreach (var rule in _rules)
        {
            transitions.AddRange(rule.Options.Enabled
                ? _tracker.Apply(rule, rule.Evaluate(inputs), now, NewAlertId)
                : _tracker.ResolveAll(rule.Name, now));
        }

        if (transitions.Count > 0) Record(transitions);
        if (_dirty) await TryWriteAsync(CancellationToken.None);
        Publish(transitions);
        return _tracker.Active;
    }

    private async Task<ClusterStatsSnapshot?> ReadClusterAsync(CancellationToken cancellationToken)
    {
        if (_stats is null) return null;
        try
        {
            var snapshot = await _stats.ReadAsync(cancellationToken);
            ReadSucceeded(ref _clusterReadFailing, ClusterSource);
            return snapshot;
        }
        catch (Exception exception)
        {
            ReadFailed(ref _clusterReadFailing, ClusterSource, exception);
            return null;
        }
    }

    private async Task<ConfigSyncStatus?> ReadSyncAsync(CancellationToken cancellationToken)
    {
        if (!_options.Rules.ConfigSync.Enabled) return null;
        try
        {
            var status = await _sync.ReadAsync(cancellationToken);
            ReadSucceeded(ref _syncReadFailing, SyncSource);
            return status;
        }
        catch (Exception exception)
        {
            ReadFailed(ref _syncReadFailing, SyncSource, exception);
            return null;
        }
    }

    /// <summary>The first failure of a source is a warning with the exception; repeats are Debug until it works again.</summary>
    private void ReadFailed(ref bool failing, string source, Exception exception)
    {
        if (failing)
        {
            MonitorLog.ReadStillFailing(_logger, source, exception.Message);
            return;
        }

        failing = true;
        MonitorLog.ReadFailed(_logger, source, exception);
    }

    private void ReadSucceeded(ref bool failing, string source)
    {
        if (!failing) return;
        failing = false;
        MonitorLog.ReadRecovered(_logger, source);
    }

    /// <summary>Active alerts as the tracker has them; raised ones appended to the history, resolved ones updated in place.</summary>
    private void Record(List<AlertTransition> transitions)
    {
        var state = _state.State;
        state.Active = _tracker.Active.ToList();
        foreach (var transition in transitions)
        {
            if (transition.Kind == AlertTransitionKind.Raised)
            {
                state.History.Add(transition.Alert);
                continue;
            }

            var index = state.History.FindLastIndex(a => a.Id == transition.Alert.Id);
            if (index >= 0) state.History[index] = transition.Alert;
        }

        var excess = state.History.Count - _options.HistoryLimit;
        if (excess > 0) state.History.RemoveRange(0, excess);
        _dirty = true;
    }

    private async Task TryWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _state.WriteStateAsync(cancellationToken);
            _dirty = false;
        }
        catch (InconsistentStateException exception)
        {
            // Another activation owns the record now (this silo lost its lease): step aside.
            MonitorLog.StateConflict(_logger, exception);
            _dirty = false;
            DeactivateOnIdle();
        }
        catch (Exception exception)
        {
            MonitorLog.StateWriteFailed(_logger, exception);
        }
    }

    private void Publish(List<AlertTransition> transitions)
    {
        foreach (var transition in transitions)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    handler.Publish(transition);
                }
                catch (Exception exception)
                {
                    MonitorLog.HandlerFailed(_logger, handler.GetType().Name, exception);
                }
            }
        }
    }

    private static string NewAlertId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
