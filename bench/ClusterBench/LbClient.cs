using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using OpenClaw.Bench.EdgeLoad;

namespace OpenClaw.Bench.Cluster;

/// <summary>The answer to one request: ok, or the error's code and whether the gateway marked it retryable.</summary>
internal readonly record struct LbReply(bool Ok, string? ErrorCode, bool Retryable, string? ErrorMessage);

/// <summary>The socket closed (or broke) while a request was outstanding.</summary>
internal sealed class ConnectionLostException(string message, bool shutdownAnnounced) : IOException(message)
{
    /// <summary>The gateway sent the protocol's <c>shutdown</c> event before closing (an edge stopping).</summary>
    public bool ShutdownAnnounced { get; } = shutdownAnnounced;
}

/// <summary>
/// One protocol v4 connection with one request at a time (send, then read until its answer):
/// <c>connect.challenge</c> → <c>connect</c> with the tenant token → hello-ok, then requests.
/// Events are skipped (a <c>shutdown</c> event is remembered). Frames are built and read with the
/// EdgeLoad bench's <see cref="ClientFrames"/> and <see cref="FrameHeader"/>.
/// </summary>
internal sealed class LbClient : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<IPAddress, HttpMessageInvoker> Invokers = new();

    /// <summary>Bound on the handshake and on each request (longer than the edge's 15 s silo failover wait).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private byte[] _buffer = new byte[16384];
    private long _nextId;

    private LbClient(ClientWebSocket socket) => _socket = socket;

    public bool ShutdownAnnounced { get; private set; }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <param name="localAddress">
    /// The loopback address to connect from (127.0.0.x): the gateway throttles token checks per
    /// client address, and real clients come from many addresses.
    /// </param>
    public static async Task<LbClient> ConnectAsync(Uri uri, string token, IPAddress localAddress, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var client = new LbClient(socket);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            await socket.ConnectAsync(uri, Invokers.GetOrAdd(localAddress, CreateInvoker), timeout.Token).ConfigureAwait(false);
            var challenge = await client.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            var first = FrameHeader.Parse(client._buffer.AsSpan(0, challenge));
            if (first.Kind != FrameKind.Event || first.EventName != "connect.challenge")
                throw new InvalidDataException("first frame is not connect.challenge: " + client.Text(challenge));
            await socket.SendAsync(ClientFrames.Connect("connect-1", token), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var length = await client.ReceiveAsync(timeout.Token).ConfigureAwait(false);
                var hello = FrameHeader.Parse(client._buffer.AsSpan(0, length));
                if (hello.Kind != FrameKind.Response || hello.RawId != "connect-1") continue;
                if (!hello.Ok) throw new InvalidDataException($"connect refused: {hello.ErrorCode} {hello.ErrorMessage}");
                return client;
            }
        }
        catch
        {
            socket.Abort();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The address of bench client <paramref name="index"/>: 127.0.0.2 … 127.0.0.251, then again.</summary>
    public static IPAddress LocalAddress(int index) => new([127, 0, 0, (byte)(2 + index % 250)]);

    private static HttpMessageInvoker CreateInvoker(IPAddress localAddress) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    /// <summary>Sends a request and reads until its answer; throws <see cref="ConnectionLostException"/> when the socket goes.</summary>
    public async Task<LbReply> RequestAsync(string method, string? paramsJson, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            await _socket.SendAsync(ClientFrames.Request(id, method, paramsJson), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            while (true)
            {
                var length = await ReceiveAsync(timeout.Token).ConfigureAwait(false);
                var header = FrameHeader.Parse(_buffer.AsSpan(0, length), quick: true);
                if (header.Kind == FrameKind.Event)
                {
                    if (header.EventName == "shutdown") ShutdownAnnounced = true;
                    continue;
                }
                if (header.Kind != FrameKind.Response || header.Id != id) continue;
                return header.Ok ? new LbReply(true, null, false, null) : ReadError(length);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = ex is OperationCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s"
                : _socket.CloseStatus is { } status ? $"closed {(int)status} {_socket.CloseStatusDescription}" : ex.Message;
            _socket.Abort();
            throw new ConnectionLostException(why, ShutdownAnnounced);
        }
    }

    private LbReply ReadError(int length)
    {
        using var doc = JsonDocument.Parse(_buffer.AsMemory(0, length));
        if (!doc.RootElement.TryGetProperty("error", out var error)) return new LbReply(false, "(no error object)", false, null);
        var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
        var retryable = error.TryGetProperty("retryable", out var r) && r.ValueKind == JsonValueKind.True;
        var message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
        return new LbReply(false, code, retryable, message);
    }

    private async Task<int> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"server closed: {(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}");
            length += result.Count;
            if (result.EndOfMessage) return length;
        }
    }

    private string Text(int length) => Encoding.UTF8.GetString(_buffer, 0, Math.Min(length, 300));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // best effort
        }
        _socket.Abort();
        _socket.Dispose();
    }
}
