using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>A response: ok, the error code/message when not, and the payload bytes when asked for.</summary>
internal readonly record struct Response(bool Ok, string? ErrorCode, string? ErrorMessage, byte[]? Payload);

/// <summary>Called on the receive loop for every event after hello-ok (payload may be empty).</summary>
internal delegate void GatewayEventHandler(GatewayClient client, string name, ReadOnlySpan<byte> payload);

/// <summary>
/// One protocol v4 connection: waits for <c>connect.challenge</c>, sends <c>connect</c> with the
/// tenant token, checks hello-ok, then pipelines requests (numeric ids, matched by id) through a
/// single writer and reads frames on a single reader. Anything a correct gateway would not send
/// is recorded in <see cref="Observations"/>: error responses, unknown ids, seq gaps, non-JSON or
/// binary frames, closes the client did not ask for.
/// </summary>
internal sealed class GatewayClient : IAsyncDisposable
{
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.Zero,
    });

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket;
    private readonly string _scenario;
    private readonly GatewayEventHandler? _onEvent;
    private readonly ConcurrentDictionary<long, PendingRequest> _pending = new();
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private byte[] _buffer = new byte[8192];
    private long _nextId;
    private long _lastSeq;
    private volatile bool _closing;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;

    private GatewayClient(ClientWebSocket socket, string scenario, string tenantId, GatewayEventHandler? onEvent)
    {
        _socket = socket;
        _scenario = scenario;
        TenantId = tenantId;
        _onEvent = onEvent;
    }

    public string TenantId { get; }

    /// <summary>TCP connect plus the HTTP upgrade, in ms.</summary>
    public double UpgradeMs { get; private set; }

    /// <summary>From the open socket to hello-ok (challenge, connect, token check), in ms.</summary>
    public double HelloMs { get; private set; }

    /// <summary>Set once the connection is gone (server close, abort, or our close).</summary>
    public bool IsClosed => _receiveLoop.IsCompleted;

    /// <summary>Anything the caller may hang per connection (e.g. the chat scenario's run waiters).</summary>
    public object? Tag { get; set; }

    public static async Task<GatewayClient> ConnectAsync(Uri uri, string tenantId, string token, string scenario,
        GatewayEventHandler? onEvent = null, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // the server pings; pongs are automatic
        var client = new GatewayClient(socket, scenario, tenantId, onEvent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            var started = Stopwatch.GetTimestamp();
            await socket.ConnectAsync(uri, Invoker, timeout.Token).ConfigureAwait(false);
            var open = Stopwatch.GetTimestamp();
            client.UpgradeMs = Stopwatch.GetElapsedTime(started, open).TotalMilliseconds;
            await client.HandshakeAsync(token, timeout.Token).ConfigureAwait(false);
            client.HelloMs = Stopwatch.GetElapsedTime(open).TotalMilliseconds;
        }
        catch
        {
            socket.Abort();
            socket.Dispose();
            throw;
        }
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync, CancellationToken.None);
        client._sendLoop = Task.Run(client.SendLoopAsync, CancellationToken.None);
        return client;
    }

    /// <summary>Sends a request; the task completes with its response or fails when the connection goes.</summary>
    public Task<Response> RequestAsync(string method, string? paramsJson = null, bool keepPayload = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        var pending = new PendingRequest(keepPayload);
        _pending[id] = pending;
        if (IsClosed || !_outgoing.Writer.TryWrite(ClientFrames.Request(id, method, paramsJson)))
        {
            _pending.TryRemove(id, out _);
            pending.TrySetException(new IOException("connection closed"));
        }
        return pending.Task;
    }

    public int PendingCount => _pending.Count;

    private async Task HandshakeAsync(string token, CancellationToken cancellationToken)
    {
        var (challenge, length) = await ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
        var first = FrameHeader.Parse(_buffer.AsSpan(0, length));
        if (challenge != WebSocketMessageType.Text || first.Kind != FrameKind.Event || first.EventName != "connect.challenge")
            throw Unexpected("first frame is not connect.challenge", length);
        using (var doc = JsonDocument.Parse(_buffer.AsMemory(first.PayloadStart, first.PayloadLength)))
        {
            if (!doc.RootElement.TryGetProperty("nonce", out var nonce) || string.IsNullOrEmpty(nonce.GetString()))
                throw Unexpected("connect.challenge without nonce", length);
        }

        await _socket.SendAsync(ClientFrames.Connect("connect-1", token), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        var (type, helloLength) = await ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
        var hello = FrameHeader.Parse(_buffer.AsSpan(0, helloLength));
        if (type != WebSocketMessageType.Text || hello.Kind != FrameKind.Response || hello.RawId != "connect-1")
            throw Unexpected("expected the connect response", helloLength);
        if (!hello.Ok) throw Unexpected($"connect refused: {hello.ErrorCode} {hello.ErrorMessage}", helloLength);
        using var payload = JsonDocument.Parse(_buffer.AsMemory(hello.PayloadStart, hello.PayloadLength));
        if (!payload.RootElement.TryGetProperty("type", out var helloType) || helloType.GetString() != "hello-ok")
            throw Unexpected("connect response is not hello-ok", helloLength);
    }

    private InvalidDataException Unexpected(string what, int length)
    {
        var frame = Encoding.UTF8.GetString(_buffer, 0, length);
        Observations.Global.Anomaly(_scenario, "handshake: " + what, frame);
        return new InvalidDataException($"{what}: {(frame.Length > 300 ? frame[..300] + "…" : frame)}");
    }

    /// <summary>Reads one whole message into <see cref="_buffer"/>, growing it as needed.</summary>
    private async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely,
                    $"server closed: {(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}");
            length += result.Count;
            if (result.EndOfMessage) return (result.MessageType, length);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var (type, length) = await ReceiveMessageAsync(CancellationToken.None).ConfigureAwait(false);
                if (type != WebSocketMessageType.Text)
                {
                    Observations.Global.Anomaly(_scenario, "binary frame", $"{length} bytes");
                    continue;
                }
                OnFrame(_buffer.AsSpan(0, length));
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            if (!_closing)
            {
                var status = _socket.CloseStatus is { } s ? $"close {(int)s} \"{_socket.CloseStatusDescription}\"" : ex.GetType().Name;
                Observations.Global.Anomaly(_scenario, $"connection lost: {status}", ex.Message);
            }
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            foreach (var id in _pending.Keys)
                if (_pending.TryRemove(id, out var pending))
                    pending.TrySetException(new IOException("connection closed", failure));
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame)
    {
        FrameHeader header;
        try
        {
            header = FrameHeader.Parse(frame, quick: true);
        }
        catch (JsonException)
        {
            Observations.Global.Anomaly(_scenario, "malformed JSON frame", Encoding.UTF8.GetString(frame));
            return;
        }

        switch (header.Kind)
        {
            case FrameKind.Response when header.Id >= 0 && _pending.TryRemove(header.Id, out var pending):
                if (pending.KeepPayload && header.Ok && !TryParseFully(frame, ref header))
                {
                    pending.TrySetException(new InvalidDataException("malformed response frame"));
                    return;
                }
                if (!header.Ok)
                    Observations.Global.Anomaly(_scenario, $"error response {header.ErrorCode}: {header.ErrorMessage}", Encoding.UTF8.GetString(frame));
                pending.TrySetResult(new Response(header.Ok, header.ErrorCode, header.ErrorMessage,
                    pending.KeepPayload ? header.Payload(frame).ToArray() : null));
                break;
            case FrameKind.Response:
                Observations.Global.Anomaly(_scenario, "response with unknown id", Encoding.UTF8.GetString(frame));
                break;
            case FrameKind.Event when header.EventName is { Length: > 0 } name:
                CheckSeq(header, frame);
                Observations.Global.Event(_scenario, name);
                try
                {
                    _onEvent?.Invoke(this, name, header.Payload(frame));
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException)
                {
                    Observations.Global.Anomaly(_scenario, $"unexpected '{name}' event payload: {ex.Message}", Encoding.UTF8.GetString(frame));
                }
                break;
            default:
                Observations.Global.Anomaly(_scenario, "frame that is neither res nor event", Encoding.UTF8.GetString(frame));
                break;
        }
    }

    private bool TryParseFully(ReadOnlySpan<byte> frame, ref FrameHeader header)
    {
        try
        {
            header = FrameHeader.Parse(frame);
            return true;
        }
        catch (JsonException)
        {
            Observations.Global.Anomaly(_scenario, "malformed JSON frame", Encoding.UTF8.GetString(frame));
            return false;
        }
    }

    /// <summary>Events after hello-ok carry seq 1, 2, 3… per connection.</summary>
    private void CheckSeq(FrameHeader header, ReadOnlySpan<byte> frame)
    {
        if (header.Seq < 0)
        {
            Observations.Global.Anomaly(_scenario, $"event '{header.EventName}' without a valid seq", Encoding.UTF8.GetString(frame));
            return;
        }
        if (header.Seq != _lastSeq + 1)
            Observations.Global.Anomaly(_scenario, "event seq gap", $"expected {_lastSeq + 1}, got {header.Seq} ({header.EventName})");
        _lastSeq = header.Seq;
    }

    private async Task SendLoopAsync()
    {
        try
        {
            var reader = _outgoing.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
                while (reader.TryRead(out var frame))
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_closing)
        {
            Observations.Global.Anomaly(_scenario, $"send failed: {ex.GetType().Name}", ex.Message);
            _socket.Abort();
        }
        catch (Exception)
        {
            // closing: the socket may already be gone
        }
    }

    /// <summary>Closes normally (bounded); pending requests fail.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        _outgoing.Writer.TryComplete();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _sendLoop.WaitAsync(timeout.Token).ConfigureAwait(false);
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token).ConfigureAwait(false);
            await _receiveLoop.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // best effort: abort below
        }
        _socket.Abort();
        _socket.Dispose();
    }

    private sealed class PendingRequest(bool keepPayload) : TaskCompletionSource<Response>
    {
        public bool KeepPayload { get; } = keepPayload;
    }
}
