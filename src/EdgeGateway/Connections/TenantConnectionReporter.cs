using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Tells the tenant grain which of its sockets are open on this edge
/// (<see cref="IUserGrain.ConnectionOpened"/> / <see cref="IUserGrain.ConnectionClosed"/>), one call
/// at a time in the order things happened, so a close never overtakes its open. The grain keeps that
/// list in memory only: after the hub subscribed anew (the activation moved or ended)
/// <see cref="ReportAll"/> tells it again about every socket. A failed report is logged and made again
/// by <see cref="RetryFailed"/> at the next subscription renewal; it never affects the socket.
/// </summary>
internal sealed class TenantConnectionReporter
{
    /// <summary>Failed close reports kept for a retry (an unreachable grain must not make this grow without end).</summary>
    internal const int MaxPendingCloses = 4096;

    private readonly IUserGrain _grain;
    private readonly string _tenantId;
    private readonly TimeSpan _callTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, GatewayConnectionInfo> _open = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedOpens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedCloses = new(StringComparer.Ordinal);
    private readonly Channel<Report> _queue = Channel.CreateUnbounded<Report>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public TenantConnectionReporter(IUserGrain grain, string tenantId, TimeSpan callTimeout, TimeProvider time, ILogger logger)
    {
        _grain = grain;
        _tenantId = tenantId;
        _callTimeout = callTimeout;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>A socket got its hello-ok.</summary>
    public void Opened(GatewayConnectionInfo connection)
    {
        lock (_lock) _open[connection.ConnectionId] = connection;
        _queue.Writer.TryWrite(new Report(ReportKind.Opened, connection.ConnectionId));
    }

    /// <summary>A socket closed (nothing is sent for one that was never reported open).</summary>
    public void Closed(string connectionId)
    {
        lock (_lock)
        {
            if (!_open.Remove(connectionId)) return;
        }
        _queue.Writer.TryWrite(new Report(ReportKind.Closed, connectionId));
    }

    /// <summary>The grain may have lost its list (a new activation): report every open socket again.</summary>
    public void ReportAll() => _queue.Writer.TryWrite(new Report(ReportKind.All, null));

    /// <summary>Makes the reports that failed again.</summary>
    public void RetryFailed()
    {
        lock (_lock)
        {
            if (_failedOpens.Count == 0 && _failedCloses.Count == 0) return;
        }
        _queue.Writer.TryWrite(new Report(ReportKind.Retry, null));
    }

    /// <summary>Sends what is queued (bounded by <paramref name="timeout"/>) and stops.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The grain is unreachable: it drops this edge's sockets with its subscription anyway.
        }
    }

    private async Task RunAsync()
    {
        await foreach (var report in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            switch (report.Kind)
            {
                case ReportKind.Opened:
                    await SendOpenedAsync(report.ConnectionId!).ConfigureAwait(false);
                    break;
                case ReportKind.Closed:
                    await SendClosedAsync(report.ConnectionId!).ConfigureAwait(false);
                    break;
                case ReportKind.All:
                    foreach (var connectionId in Snapshot(all: true)) await SendOpenedAsync(connectionId).ConfigureAwait(false);
                    break;
                case ReportKind.Retry:
                    foreach (var connectionId in FailedCloses()) await SendClosedAsync(connectionId).ConfigureAwait(false);
                    foreach (var connectionId in Snapshot(all: false)) await SendOpenedAsync(connectionId).ConfigureAwait(false);
                    break;
            }
        }
    }

    private List<string> Snapshot(bool all)
    {
        lock (_lock) return all ? [.. _open.Keys] : [.. _failedOpens.Where(_open.ContainsKey)];
    }

    private List<string> FailedCloses()
    {
        lock (_lock) return [.. _failedCloses];
    }

    private async Task SendOpenedAsync(string connectionId)
    {
        GatewayConnectionInfo? connection;
        lock (_lock)
        {
            _failedOpens.Remove(connectionId);
            // Closed meanwhile: its close report follows in the queue.
            if (!_open.TryGetValue(connectionId, out connection)) return;
        }
        try
        {
            await _grain.ConnectionOpened(connection).WaitAsync(_callTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.ConnectionReportFailed(_logger, ex, connectionId, "opened", _tenantId);
            lock (_lock) _failedOpens.Add(connectionId);
        }
    }

    private async Task SendClosedAsync(string connectionId)
    {
        lock (_lock) _failedCloses.Remove(connectionId);
        try
        {
            await _grain.ConnectionClosed(connectionId).WaitAsync(_callTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.ConnectionReportFailed(_logger, ex, connectionId, "closed", _tenantId);
            // Beyond the bound the grain's own cleanup (it drops this edge's sockets when the
            // subscription lapses) has to do.
            lock (_lock)
            {
                if (_failedCloses.Count < MaxPendingCloses) _failedCloses.Add(connectionId);
            }
        }
    }

    private enum ReportKind
    {
        Opened,
        Closed,
        All,
        Retry,
    }

    private readonly record struct Report(ReportKind Kind, string? ConnectionId);
}
