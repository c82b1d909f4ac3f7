using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// This silo's membership: joins the table (as Joining), renews its lease with a heartbeat every
/// <see cref="ClusterOptions.HeartbeatInterval"/>, rereads the table whenever its version moves,
/// probes its successors and votes against those that stop answering. Learning that it was
/// declared dead (from a heartbeat or the table) stops the process at once. On stop it leaves:
/// Dead in the table, after which the transport closes.
/// </summary>
internal sealed class MembershipAgent : ISiloLifecycleParticipant
{
    private readonly IMembershipTable _table;
    private readonly ClusterMembershipView _view;
    private readonly MembershipLease _lease;
    private readonly LocalSilo _local;
    private readonly SiloProber _prober;
    private readonly Catalog _catalog;
    private readonly IFatalShutdown _fatal;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<SiloAddress, int> _missedProbes = [];
    private CancellationTokenSource? _stopping;
    private volatile bool _leaving;
    private Task _loops = Task.CompletedTask;
    private int _heartbeatFailures;
    private int _refreshes;

    /// <summary>Heartbeats do not move the table version; reread it anyway every this many refreshes to see fresh load figures.</summary>
    private const int LoadRefreshEvery = 5;

    /// <summary>Dead rows older than the retention are removed every this many refreshes.</summary>
    private const int CleanupEvery = 600;

    public MembershipAgent(IMembershipTable table, ClusterMembershipView view, MembershipLease lease, LocalSilo local, SiloProber prober,
        Catalog catalog, IFatalShutdown fatal, IOptions<ClusterOptions> options, TimeProvider time, ILogger<MembershipAgent> logger)
    {
        _table = table;
        _view = view;
        _lease = lease;
        _local = local;
        _prober = prober;
        _catalog = catalog;
        _fatal = fatal;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public SiloLifecycleStage Stage => SiloLifecycleStage.Join;

    private SiloAddress Self => _local.Address;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _table.JoinAsync(Self, Environment.MachineName, cancellationToken).ConfigureAwait(false);
        ClusterLog.Joined(_logger, Self);
        if (!await HeartbeatAsync(cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"Silo {Self} could not renew its lease right after joining.");
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _loops = Task.WhenAll(
            Task.Run(() => EveryAsync(_options.HeartbeatInterval, HeartbeatAsync, token), CancellationToken.None),
            Task.Run(() => EveryAsync(_options.TableRefreshInterval, RefreshAsync, token), CancellationToken.None),
            Task.Run(() => EveryAsync(_options.ProbeInterval, ProbeAsync, token), CancellationToken.None));
    }

    /// <summary>Leaves: Dead in the table (final), lease revoked, loops stopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // From here on, Dead in the table is this silo's own doing, not a verdict of its peers.
        _leaving = true;
        if (_stopping is not null) await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            await _table.SetStatusAsync(Self, SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
            ClusterLog.StatusChanged(_logger, Self, SiloStatus.Dead);
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ClusterLog.LeaveFailed(_logger, ex.Message);
        }
        _lease.Revoke();
        try
        {
            // Clients and silos see Dead before the connections close.
            await Task.Delay(_options.DrainNoticeDelay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sets this silo's status (Active when serving starts, ShuttingDown when draining).</summary>
    public async Task SetStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        var after = await _table.SetStatusAsync(Self, status, cancellationToken).ConfigureAwait(false);
        if (after == SiloStatus.Dead) DeclaredDead();
        ClusterLog.StatusChanged(_logger, Self, after);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The table says this silo is dead: unless it is leaving by itself, it must stop now.</summary>
    private void DeclaredDead()
    {
        if (!_leaving) _fatal.DeclaredDead(Self);
    }

    private async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            var status = await _table.HeartbeatAsync(Self, _catalog.Count, cancellationToken).ConfigureAwait(false);
            if (status is SiloStatus.Dead or SiloStatus.None)
            {
                DeclaredDead();
                return false;
            }
            _lease.Renew(started);
            if (_heartbeatFailures > 0) ClusterLog.HeartbeatRecovered(_logger, _heartbeatFailures);
            _heartbeatFailures = 0;
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _heartbeatFailures++;
            if (_heartbeatFailures == 1 || _heartbeatFailures % 10 == 0)
                ClusterLog.HeartbeatFailed(_logger, _heartbeatFailures, ex.Message, (long)_options.LeaseDuration.TotalMilliseconds);
            return false;
        }
    }

    private async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var refresh = ++_refreshes;
            if (refresh % CleanupEvery == 0) await _table.CleanupDeadAsync(_options.DeadSiloRetention, cancellationToken).ConfigureAwait(false);
            var version = await _table.ReadVersionAsync(cancellationToken).ConfigureAwait(false);
            if (version == _view.Current.Version && version != 0 && refresh % LoadRefreshEvery != 0) return true;
            var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            if (_view.Update(snapshot))
            {
                ClusterLog.MembershipChanged(_logger, snapshot.Version, snapshot.Active.Count,
                    snapshot.Entries.Count(e => e.Status == SiloStatus.ShuttingDown), snapshot.Entries.Count(e => e.Status == SiloStatus.Dead));
            }
            if (snapshot.StatusOf(Self) is SiloStatus.Dead) DeclaredDead();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ClusterLog.RefreshFailed(_logger, ex.Message);
            return false;
        }
    }

    /// <summary>Probes the next <see cref="ClusterOptions.ProbedSilos"/> live silos after this one (in address order).</summary>
    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var snapshot = _view.Current;
        var live = snapshot.Entries.Where(e => e.Status is not SiloStatus.Dead && e.Status is not SiloStatus.None).Select(e => e.Silo).Order().ToList();
        var me = live.IndexOf(Self);
        var targets = new List<SiloAddress>();
        for (var i = 1; i < live.Count && targets.Count < _options.ProbedSilos; i++)
            targets.Add(live[(Math.Max(me, 0) + i) % live.Count]);
        foreach (var gone in _missedProbes.Keys.Where(k => !targets.Contains(k)).ToList()) _missedProbes.Remove(gone);

        var results = await Task.WhenAll(targets.Select(t => _prober.ProbeAsync(t, cancellationToken))).ConfigureAwait(false);
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            if (results[i])
            {
                _missedProbes.Remove(target);
                continue;
            }
            var misses = _missedProbes[target] = _missedProbes.GetValueOrDefault(target) + 1;
            if (misses < _options.MissedProbesLimit || !_lease.IsValid) continue;
            ClusterLog.Suspecting(_logger, target, misses);
            // Every live silo but the suspect may vote; with fewer of them than the configured number, all of them must.
            var votesNeeded = Math.Max(1, Math.Min(_options.VotesForDeathDeclaration, live.Count - 1));
            try
            {
                var status = await _table.SuspectAsync(target, Self, votesNeeded, _options.VoteExpiration, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                if (status == SiloStatus.Dead)
                {
                    ClusterLog.SiloDeclaredDead(_logger, target);
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ClusterLog.SuspectFailed(_logger, target, ex.Message);
            }
        }
        return true;
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task<bool>> work, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                await work(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
