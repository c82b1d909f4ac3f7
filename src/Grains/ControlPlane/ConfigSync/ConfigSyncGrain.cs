using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// The cluster's one config sync (<see cref="IConfigSyncGrain.ClusterKey"/>): every
/// <see cref="ConfigSyncOptions.SyncIntervalMs"/> it pulls the users changed since its cursor from
/// the Cloud Backend, page by page, applies each page to the registry only after the whole page was
/// read and validated, saves the cursor, and tells the changed tenants that are active now to reload.
/// A failed pass changes nothing of the page it failed on, keeps what the registry has, counts the
/// failure and backs off (interval × 2^(failures-1), capped). Its state lives in grain storage, so a
/// new activation on another silo (after this one's silo went away; <see cref="ConfigSyncKeeper"/> on
/// every silo calls <see cref="EnsureRunning"/>) continues from the same cursor and failure count.
/// <para>
/// Reentrant, so that status queries answer while a pass waits on the backend; passes themselves
/// never overlap: a <see cref="SyncNow"/> during a pass joins it.
/// </para>
/// </summary>
[Reentrant]
public sealed class ConfigSyncGrain : Grain, IConfigSyncGrain
{
    private readonly IPersistentState<ConfigSyncState> _state;
    private readonly ConfigSyncOptions _options;
    private readonly ILogger<ConfigSyncGrain> _logger;
    private IGrainTimer? _timer;
    private Task<ConfigSyncStatus>? _pass;

    public ConfigSyncGrain(
        [PersistentState("configSync")] IPersistentState<ConfigSyncState> state,
        IOptions<ConfigSyncOptions> options,
        ILogger<ConfigSyncGrain> logger)
    {
        _state = state;
        _options = options.Value;
        _logger = logger;
    }

    private ConfigSyncState State => _state.State;

    public Task EnsureRunning(CancellationToken cancellationToken)
    {
        StartTimer();
        return Task.CompletedTask;
    }

    public Task<ConfigSyncStatus> SyncNow(CancellationToken cancellationToken)
    {
        if (!_options.Enabled) return Task.FromResult(Status());
        StartTimer();
        return RunPassOnceAsync();
    }

    public async Task<ConfigSyncStatus> SyncTenant(string tenantId, CancellationToken cancellationToken)
    {
        if (!TenantIds.IsValid(tenantId)) throw new ArgumentException("Invalid tenant id.", nameof(tenantId));
        if (!_options.Enabled) return Status();
        StartTimer();

        // The backend's push notice: that user's current record, applied like a page. It does not
        // move the cursor (the same change arrives again in the feed, which is harmless) and a
        // failure is the caller's to see, not a failed pass.
        var client = ServiceProvider.GetRequiredService<CloudBackendClient>();
        var page = await client.GetPageAsync(cursor: null, userId: tenantId, CancellationToken.None);
        var tenants = page.Tenants.Where(t => t.Record.TenantId == tenantId).ToList();
        var (counts, changed) = await Applier().ApplyAsync(tenants, CancellationToken.None);
        await Notifier().NotifyAsync(changed, CancellationToken.None);
        ConfigSyncLog.TenantSynced(_logger, tenantId, tenants.Count == 0
            ? "the backend does not know it"
            : $"{counts.Created} created, {counts.Updated} updated, {counts.Suspended} suspended, {counts.Deleted} deleted, {counts.TokensRevoked} tokens revoked");
        return Status();
    }

    public Task<ConfigSyncStatus> GetStatus(CancellationToken cancellationToken) => Task.FromResult(Status());

    private void StartTimer()
    {
        if (!_options.Enabled || _timer is not null) return;
        KeepAlive(true);
        var now = TimeProvider.GetUtcNow();
        var due = State.NextAttemptAt is { } next && next > now ? _options.SyncInterval : TimeSpan.Zero;
        _timer = RegisterGrainTimer(OnTimerAsync, new GrainTimerOptions { DueTime = due, Period = _options.SyncInterval, KeepAlive = true });
        ConfigSyncLog.Started(_logger, _options.SyncIntervalMs, _options.CloudBackendUrl!);
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        // Backing off: the tick comes every interval, the pass only once the backoff has passed.
        if (State.NextAttemptAt is { } next && TimeProvider.GetUtcNow() < next) return;
        await RunPassOnceAsync();
    }

    private Task<ConfigSyncStatus> RunPassOnceAsync()
    {
        if (_pass is { IsCompleted: false } running) return running;
        return _pass = RunPassAsync();
    }

    private async Task<ConfigSyncStatus> RunPassAsync()
    {
        var client = ServiceProvider.GetRequiredService<CloudBackendClient>();
        var started = Stopwatch.GetTimestamp();
        State.LastAttemptAt = TimeProvider.GetUtcNow();
        var counts = new SyncCounts();
        var pages = 0;
        var notified = 0;
        var cursorReset = false;
        try
        {
            var applier = Applier();
            var notifier = Notifier();
            while (pages < _options.MaxPagesPerPass)
            {
                ValidatedPage page;
                try
                {
                    page = await client.GetPageAsync(State.Cursor, userId: null, CancellationToken.None);
                }
                catch (CursorExpiredException) when (State.Cursor is not null && !cursorReset)
                {
                    ConfigSyncLog.CursorExpired(_logger);
                    cursorReset = true;
                    State.Cursor = null;
                    continue;
                }

                var (pageCounts, changed) = await applier.ApplyAsync(page.Tenants, CancellationToken.None);
                counts += pageCounts;
                notified += await notifier.NotifyAsync(changed, CancellationToken.None);
                pages++;
                if (!string.IsNullOrEmpty(page.NextCursor)) State.Cursor = page.NextCursor;
                await SaveAsync();
                if (!page.HasMore) break;
            }

            State.ConsecutiveFailures = 0;
            State.LastError = null;
            State.LastSuccessAt = TimeProvider.GetUtcNow();
            State.LastCounts = counts;
            State.NextAttemptAt = State.LastSuccessAt + _options.SyncInterval;
            ConfigSyncLog.PassSucceeded(_logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, pages,
                counts.Created, counts.Updated, counts.Suspended, counts.Deleted, counts.TokensRevoked, notified);
        }
        catch (Exception exception)
        {
            State.ConsecutiveFailures++;
            State.LastError = Describe(exception);
            var retry = _options.BackoffAfter(State.ConsecutiveFailures);
            State.NextAttemptAt = TimeProvider.GetUtcNow() + retry;
            ConfigSyncLog.PassFailed(_logger, State.ConsecutiveFailures, (long)retry.TotalMilliseconds, State.LastError);
        }

        await SaveAsync();
        return Status();
    }

    private async Task SaveAsync()
    {
        try
        {
            await _state.WriteStateAsync(CancellationToken.None);
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote the state (this one is stale): let that one run the sync.
            _timer?.Dispose();
            _timer = null;
            DeactivateOnIdle();
            throw;
        }
        catch (Exception exception)
        {
            ConfigSyncLog.StateWriteFailed(_logger, exception);
        }
    }

    /// <summary>An operator-safe description: the backend client's own messages, the type of anything else.</summary>
    private static string Describe(Exception exception) => exception switch
    {
        CloudBackendException or CursorExpiredException => exception.Message,
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    private ConfigSyncApplier Applier() =>
        new(ServiceProvider.GetRequiredService<ITenantRegistry>(), _options.ApplyBatchSize);

    private TenantChangeNotifier Notifier() =>
        new(GrainFactory, ServiceProvider.GetRequiredService<IGrainActivationLookup>(), _logger, _options.MaxConcurrentPushes);

    private ConfigSyncStatus Status()
    {
        var local = ServiceProvider.GetService<LocalSilo>();
        return new ConfigSyncStatus
        {
            Enabled = _options.Enabled,
            BackendUrl = _options.Enabled ? _options.CloudBackendUrl : null,
            LastAttemptAt = State.LastAttemptAt,
            LastSuccessAt = State.LastSuccessAt,
            LastError = State.LastError,
            ConsecutiveFailures = State.ConsecutiveFailures,
            Cursor = State.Cursor,
            NextAttemptAt = _options.Enabled ? State.NextAttemptAt : null,
            LastCreated = State.LastCounts.Created,
            LastUpdated = State.LastCounts.Updated,
            LastSuspended = State.LastCounts.Suspended,
            LastDeleted = State.LastCounts.Deleted,
            LastTokensRevoked = State.LastCounts.TokensRevoked,
            Silo = local is { IsKnown: true } ? local.Address.ToString() : Environment.MachineName,
        };
    }
}
