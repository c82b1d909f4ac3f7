using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// The silo's cluster port: accepts connections from other silos and from clients. A connection
/// that has not completed its handshake within <see cref="ClusterOptions.HandshakeTimeout"/> is
/// dropped, so idle or garbage-sending sockets cannot pile up.
/// </summary>
internal sealed class ClusterListener(MessageCenter center, IOptions<ClusterOptions> options, TimeProvider time, ILogger<ClusterListener> logger)
{
    private readonly ClusterOptions _options = options.Value;
    private readonly List<ClusterConnection> _accepted = [];
    private Socket? _socket;
    private CancellationTokenSource? _stopping;
    private Task _acceptLoop = Task.CompletedTask;

    /// <summary>The port actually bound (useful when <see cref="ClusterOptions.SiloPort"/> is 0).</summary>
    public int Port { get; private set; }

    /// <summary>Binds the port (so that this silo's address is known before it joins).</summary>
    public void Bind()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Parse(_options.ListenAddress), _options.SiloPort));
        socket.Listen(512);
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        NetworkingLog.Listening(logger, socket.LocalEndPoint!.ToString()!);
    }

    public void Start()
    {
        _stopping = new CancellationTokenSource();
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_stopping.Token));
    }

    /// <summary>Stops accepting and closes every accepted connection.</summary>
    public async Task StopAsync()
    {
        if (_stopping is null) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        ClusterConnection[] accepted;
        lock (_accepted) accepted = [.. _accepted];
        await WaitForInboundCallsAsync(accepted).ConfigureAwait(false);
        foreach (var connection in accepted) connection.Close("the silo is leaving");
    }

    /// <summary>
    /// Lets the calls peers still have in flight here (forwards to where a grain moved, mostly) be
    /// answered before their connections close, for at most <see cref="ClusterOptions.DrainNoticeDelay"/>:
    /// closing fails them as "connection lost, outcome unknown" on the caller's side.
    /// </summary>
    private async Task WaitForInboundCallsAsync(ClusterConnection[] connections)
    {
        var deadline = time.GetTimestamp() + (long)(_options.DrainNoticeDelay.TotalSeconds * time.TimestampFrequency);
        while (connections.Any(c => !c.IsClosed && !c.InboundCalls.IsEmpty) && time.GetTimestamp() < deadline)
        {
            await Task.Delay(InboundCallsPollInterval, time).ConfigureAwait(false);
        }
    }

    private static readonly TimeSpan InboundCallsPollInterval = TimeSpan.FromMilliseconds(20);

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _socket!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                if (stopping.IsCancellationRequested) return;
                continue;
            }

            var connection = new ClusterConnection(socket, outbound: false, center, _options, logger);
            lock (_accepted) _accepted.Add(connection);
            _ = connection.Closed.ContinueWith(_ =>
            {
                lock (_accepted) _accepted.Remove(connection);
            }, TaskScheduler.Default);
            connection.Start();
            _ = DropIfSilentAsync(connection);
        }
    }

    private async Task DropIfSilentAsync(ClusterConnection connection)
    {
        try
        {
            await connection.Handshake.WaitAsync(_options.HandshakeTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            NetworkingLog.HandshakeRefused(logger, connection.RemoteEndpoint, "no handshake in time");
            connection.Close("no handshake in time");
        }
        catch (SiloUnavailableException)
        {
            // closed before the handshake; logged where it closed
        }
    }
}
