using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// This process's outbound connections, one per silo, opened on first use and reopened after a
/// failure with exponential backoff (<see cref="ClusterOptions.ReconnectDelayMin"/> to
/// <see cref="ClusterOptions.ReconnectDelayMax"/>): while a silo is in backoff, calls to it fail at
/// once instead of each waiting for a connect timeout. Connections to dead silos are closed and
/// never reopened.
/// </summary>
internal sealed class SiloConnector
{
    private readonly ConcurrentDictionary<SiloAddress, Slot> _slots = new();
    private readonly ConcurrentDictionary<SiloAddress, byte> _dead = new();
    private readonly MessageCenter _center;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SiloConnector(MessageCenter center, IOptions<ClusterOptions> options, TimeProvider time, ILogger<SiloConnector> logger)
    {
        _center = center;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The established connection to <paramref name="silo"/>, if there is one right now.</summary>
    public ClusterConnection? TryGetEstablished(SiloAddress silo) =>
        _slots.TryGetValue(silo, out var slot) && slot.Current is { IsEstablished: true, IsClosed: false } connection ? connection : null;

    /// <summary>A connection to <paramref name="silo"/>; throws <see cref="SiloUnavailableException"/> when it cannot be had now.</summary>
    public ValueTask<ClusterConnection> GetAsync(SiloAddress silo, CancellationToken cancellationToken = default)
    {
        if (TryGetEstablished(silo) is { } established) return ValueTask.FromResult(established);
        if (_dead.ContainsKey(silo)) throw new SiloUnavailableException($"Silo {silo} is dead.");
        var slot = _slots.GetOrAdd(silo, static s => new Slot(s));
        return new ValueTask<ClusterConnection>(slot.ConnectAsync(this, cancellationToken));
    }

    /// <summary>Closes the connection to a silo that is dead and never opens one again.</summary>
    public void Forget(SiloAddress silo)
    {
        _dead[silo] = 0;
        if (_slots.TryRemove(silo, out var slot)) slot.Current?.Close($"silo {silo} is dead");
    }

    /// <summary>
    /// <see cref="Forget"/>s a silo the membership declared dead, which fails the calls still in
    /// flight to it (a frozen silo keeps its connection open, so they would wait for their timeout),
    /// but only after <see cref="ClusterOptions.DrainNoticeDelay"/>: a silo that left gracefully
    /// still answers and forwards for that long after writing Dead, and closes its connections itself.
    /// </summary>
    public async Task ForgetAfterDrainNoticeAsync(SiloAddress silo)
    {
        try
        {
            await Task.Delay(_options.DrainNoticeDelay, _time).ConfigureAwait(false);
        }
        finally
        {
            Forget(silo);
        }
    }

    public IEnumerable<ClusterConnection> Connections =>
        _slots.Values.Select(s => s.Current).Where(c => c is { IsClosed: false })!;

    private async Task<ClusterConnection> OpenAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        var identity = _center.Identity ?? throw new SiloUnavailableException("This process has not joined the cluster yet.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            var endpoint = IPAddress.TryParse(silo.Host, out var ip)
                ? new IPEndPoint(ip, silo.Port)
                : (EndPoint)new DnsEndPoint(silo.Host, silo.Port);
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new SiloUnavailableException($"Could not connect to silo {silo}: {(ex is SocketException se ? se.SocketErrorCode.ToString() : "timed out")}.");
        }

        var connection = new ClusterConnection(socket, outbound: true, _center, _options, _logger) { PeerSilo = silo };
        connection.Start();
        connection.Send(ClusterFrames.Hello(_options.ClusterId, identity.Role, identity.Id));
        try
        {
            await connection.Handshake.WaitAsync(_options.HandshakeTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OperationCanceledException)
        {
            connection.Close("the handshake did not complete");
            throw new SiloUnavailableException($"Silo {silo} did not complete the handshake: {ex.Message}");
        }
        NetworkingLog.Connected(_logger, silo, connection.RemoteEndpoint);
        return connection;
    }

    private sealed class Slot(SiloAddress silo)
    {
        private readonly object _lock = new();
        private Task<ClusterConnection>? _attempt;
        private int _failures;
        private long _retryAt;

        public ClusterConnection? Current { get; private set; }

        public Task<ClusterConnection> ConnectAsync(SiloConnector owner, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                if (Current is { IsClosed: false, IsEstablished: true } current) return Task.FromResult(current);
                if (_attempt is { IsCompleted: false } running) return running.WaitAsync(cancellationToken);
                var now = owner._time.GetTimestamp();
                if (_failures > 0 && now < _retryAt)
                {
                    var waitMs = (long)((_retryAt - now) * 1000.0 / owner._time.TimestampFrequency);
                    return Task.FromException<ClusterConnection>(new SiloUnavailableException($"Silo {silo} is unreachable; the next connection attempt is in {waitMs} ms."));
                }
                _attempt = AttemptAsync(owner);
                return _attempt.WaitAsync(cancellationToken);
            }
        }

        private async Task<ClusterConnection> AttemptAsync(SiloConnector owner)
        {
            try
            {
                var connection = await owner.OpenAsync(silo, CancellationToken.None).ConfigureAwait(false);
                lock (_lock)
                {
                    _failures = 0;
                    Current = connection;
                }
                return connection;
            }
            catch (SiloUnavailableException ex)
            {
                long delayMs;
                lock (_lock)
                {
                    _failures++;
                    var delay = owner._options.ReconnectDelayMin * Math.Pow(2, Math.Min(_failures - 1, 16));
                    if (delay > owner._options.ReconnectDelayMax) delay = owner._options.ReconnectDelayMax;
                    delayMs = (long)delay.TotalMilliseconds;
                    _retryAt = owner._time.GetTimestamp() + (long)(delay.TotalSeconds * owner._time.TimestampFrequency);
                }
                NetworkingLog.ConnectFailed(owner._logger, silo, ex.Message, delayMs);
                throw;
            }
        }
    }
}
