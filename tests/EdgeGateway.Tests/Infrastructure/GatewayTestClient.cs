using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace OpenClaw.EdgeGateway.Tests.Infrastructure;

/// <summary>
/// A protocol client over a real <see cref="ClientWebSocket"/>: a background loop reads every
/// frame (kept as text and parsed JSON) and notes how the server closed the socket.
/// </summary>
internal sealed class GatewayTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<ReceivedFrame> _frames = Channel.CreateUnbounded<ReceivedFrame>();
    private readonly List<ReceivedFrame> _skipped = [];
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _nextId;
    private Task _receiveLoop = Task.CompletedTask;

    private readonly List<ReceivedFrame> _all = [];

    /// <summary>Every frame received so far (a copy: the receive loop keeps adding while a test looks).</summary>
    public IReadOnlyList<ReceivedFrame> All
    {
        get
        {
            lock (_all) return [.. _all];
        }
    }

    public WebSocket Socket => _socket;

    public async Task ConnectAsync(Uri uri, string? forwardedFor = null)
    {
        if (forwardedFor is not null) _socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        await _socket.ConnectAsync(uri, CancellationToken.None);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public async Task<JsonElement> ReadChallengeAsync()
    {
        var frame = await NextAsync();
        Assert.Equal("connect.challenge", frame.GetProperty("event").GetString());
        return frame;
    }

    /// <summary>Sends <c>connect</c> with <paramref name="parameters"/> and returns its response frame.</summary>
    public async Task<JsonElement> SendConnectAsync(JsonObject parameters)
    {
        var id = await SendRequestAsync("connect", parameters);
        return await ResponseAsync(id);
    }

    public async Task<string> SendRequestAsync(string method, JsonNode? parameters = null)
    {
        var id = $"{Interlocked.Increment(ref _nextId)}:{Guid.NewGuid()}";
        var frame = new JsonObject { ["type"] = "req", ["id"] = id, ["method"] = method };
        if (parameters is not null) frame["params"] = parameters.DeepClone();
        await SendTextAsync(frame.ToJsonString());
        return id;
    }

    public async Task<JsonElement> CallAsync(string method, JsonNode? parameters = null, TimeSpan? timeout = null)
    {
        var id = await SendRequestAsync(method, parameters);
        return await ResponseAsync(id, timeout);
    }

    public async Task SendTextAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next frame not yet consumed.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null) => (await NextFrameAsync(timeout)).Json;

    public async Task<ReceivedFrame> NextFrameAsync(TimeSpan? timeout = null)
    {
        if (_skipped.Count > 0)
        {
            var first = _skipped[0];
            _skipped.RemoveAt(0);
            return first;
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no frame arrived in time");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the socket closed ({(_closed.Task.IsCompleted ? _closed.Task.Result : default)})");
        }
    }

    /// <summary>The first frame matching <paramref name="match"/>; frames passed over stay available to later calls.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        for (var i = 0; i < _skipped.Count; i++)
        {
            if (!match(_skipped[i].Json)) continue;
            var found = _skipped[i];
            _skipped.RemoveAt(i);
            return found.Json;
        }
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            ReceivedFrame frame;
            try
            {
                frame = await _frames.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("the expected frame did not arrive in time");
            }
            if (match(frame.Json)) return frame.Json;
            _skipped.Add(frame);
        }
    }

    public Task<JsonElement> ResponseAsync(string id, TimeSpan? timeout = null) =>
        WaitForAsync(f => f.GetProperty("type").GetString() == "res" && f.GetProperty("id").GetString() == id, timeout);

    public Task<JsonElement> EventAsync(string name, TimeSpan? timeout = null) =>
        WaitForAsync(f => f.GetProperty("type").GetString() == "event" && f.GetProperty("event").GetString() == name, timeout);

    /// <summary>How the server closed the socket.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ClosedAsync(TimeSpan? timeout = null) =>
        await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        await _closed.Task.WaitAsync(DefaultTimeout);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((result.CloseStatus, result.CloseStatusDescription));
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var text = Encoding.UTF8.GetString(message.ToArray());
                message.SetLength(0);
                using var document = JsonDocument.Parse(text);
                var frame = new ReceivedFrame(text, document.RootElement.Clone());
                lock (_all) _all.Add(frame);
                _frames.Writer.TryWrite(frame);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult((_socket.CloseStatus, _socket.CloseStatusDescription ?? $"aborted: {ex.GetType().Name}"));
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            _socket.Abort();
        }
        _socket.Dispose();
    }
}

/// <summary>A frame as received: its exact text and its parsed JSON.</summary>
internal sealed record ReceivedFrame(string Text, JsonElement Json);
