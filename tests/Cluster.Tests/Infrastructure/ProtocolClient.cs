using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// A minimal OpenClaw protocol v4 client over one WebSocket, as an operator CLI connects: it waits
/// for <c>connect.challenge</c>, sends <c>connect</c> with a token, then sends requests and matches
/// their responses by id. A background loop reads every frame; it notes the <c>shutdown</c> event
/// and how the socket closed. Once the <c>shutdown</c> event has been read the client sends nothing
/// more on this socket (<see cref="SendRefusedException"/>), as a well-behaved client does.
/// </summary>
internal sealed class ProtocolClient : IAsyncDisposable
{
    /// <summary>The connect handshake (upgrade, challenge, connect response) of one attempt.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Our side of the close handshake when disposing.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<JsonElement> _events = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _state = new();
    private readonly TaskCompletionSource<JsonElement> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SocketEnd> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private int _nextId;

    private ProtocolClient()
    {
    }

    /// <summary>The <c>shutdown</c> event, once read.</summary>
    public Task<JsonElement> Shutdown => _shutdown.Task;

    /// <summary>How the socket ended (close status, or none when it was cut), once it did.</summary>
    public Task<SocketEnd> Closed => _closed.Task;

    /// <summary>Opens a socket to <paramref name="url"/> and completes the connect handshake with <paramref name="token"/>.</summary>
    /// <exception cref="ConnectRefusedException">The gateway answered <c>connect</c> with an error.</exception>
    public static async Task<ProtocolClient> ConnectAsync(Uri url, string token, IReadOnlyList<string> scopes)
    {
        var client = new ProtocolClient();
        try
        {
            using (var upgrade = new CancellationTokenSource(HandshakeTimeout))
                await client._socket.ConnectAsync(url, upgrade.Token);
            client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
            await client.WaitForEventAsync(e => Name(e) == "connect.challenge", HandshakeTimeout);
            var response = await client.RequestAsync("connect", ConnectParams(token, scopes)).WaitAsync(HandshakeTimeout);
            if (!IsOk(response)) throw new ConnectRefusedException(response);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a request and returns its response frame (<c>{type:"res", id, ok, payload|error}</c>).</summary>
    /// <exception cref="SendRefusedException">The <c>shutdown</c> event was already read: nothing was sent.</exception>
    /// <exception cref="UnansweredRequestException">The socket ended before the response arrived.</exception>
    public async Task<JsonElement> RequestAsync(string method, JsonObject parameters)
    {
        var id = $"{Interlocked.Increment(ref _nextId)}";
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var frame = new JsonObject { ["type"] = "req", ["id"] = id, ["method"] = method, ["params"] = parameters };
        var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            // The receive loop records the shutdown event under the same lock: a request either goes
            // out before the client read the event, or not at all.
            lock (_state)
            {
                if (_shutdown.Task.IsCompleted)
                {
                    _pending.TryRemove(id, out _);
                    throw new SendRefusedException(method);
                }
            }
            if (_closed.Task.IsCompleted) FailPending();
            else await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (WebSocketException ex)
        {
            _pending.TryRemove(id, out _);
            throw new UnansweredRequestException($"{method}: the socket failed while sending ({ex.Message})");
        }
        finally
        {
            _sendLock.Release();
        }
        return await answer.Task;
    }

    /// <summary>The first event received on this socket that matches <paramref name="match"/> (also one received before the call).</summary>
    public async Task<JsonElement> WaitForEventAsync(Func<JsonElement, bool> match, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            Task arrived;
            lock (_state)
            {
                foreach (var e in _events)
                {
                    if (match(e)) return e;
                }
                arrived = _eventArrived.Task;
            }
            if (_closed.Task.IsCompleted) throw new InvalidOperationException($"the socket ended ({_closed.Task.Result}) before the awaited event");
            try
            {
                await Task.WhenAny(arrived, _closed.Task).WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the awaited event did not arrive within {deadline.TotalSeconds:0} s");
            }
        }
    }

    public static bool IsOk(JsonElement response) => response.GetProperty("ok").GetBoolean();

    /// <summary>Whether an error response says the request may be retried (<c>error.retryable: true</c>).</summary>
    public static bool IsRetryable(JsonElement response) =>
        response.TryGetProperty("error", out var error) && error.TryGetProperty("retryable", out var retryable) && retryable.ValueKind == JsonValueKind.True;

    /// <summary>The event name of an event frame, or null for any other frame.</summary>
    public static string? Name(JsonElement frame) =>
        frame.TryGetProperty("event", out var name) ? name.GetString() : null;

    private static JsonObject ConnectParams(string token, IReadOnlyList<string> scopes) => new()
    {
        ["minProtocol"] = 4,
        ["maxProtocol"] = 4,
        ["client"] = new JsonObject
        {
            ["id"] = "cli",
            ["version"] = "2026.9.6",
            ["platform"] = "linux",
            ["deviceFamily"] = "Linux",
            ["mode"] = "cli",
            ["instanceId"] = Guid.NewGuid().ToString(),
        },
        ["caps"] = new JsonArray(),
        ["auth"] = new JsonObject { ["token"] = token },
        ["role"] = "operator",
        ["scopes"] = new JsonArray([.. scopes.Select(s => JsonValue.Create(s))]),
    };

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        SocketEnd end;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    end = new SocketEnd((int?)result.CloseStatus, result.CloseStatusDescription, _shutdown.Task.IsCompleted);
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                using var document = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                Dispatch(document.RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            end = new SocketEnd((int?)_socket.CloseStatus, $"cut: {ex.GetType().Name}: {ex.Message}", _shutdown.Task.IsCompleted);
        }
        _closed.TrySetResult(end);
        FailPending();
        lock (_state) _eventArrived.TrySetResult();
    }

    private void Dispatch(JsonElement frame)
    {
        var type = frame.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "res")
        {
            if (_pending.TryRemove(frame.GetProperty("id").GetString()!, out var answer)) answer.TrySetResult(frame);
            return;
        }
        if (type != "event") return;
        lock (_state)
        {
            _events.Add(frame);
            if (Name(frame) == "shutdown") _shutdown.TrySetResult(frame);
            var arrived = _eventArrived;
            _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            arrived.TrySetResult();
        }
    }

    private void FailPending()
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var answer))
                answer.TrySetException(new UnansweredRequestException($"request {id}: the socket ended ({(_closed.Task.IsCompleted ? _closed.Task.Result : null)}) before its response"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(CloseTimeout);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", close.Token);
            }
            await _receiveLoop.WaitAsync(CloseTimeout);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            _socket.Abort();
        }
        _socket.Dispose();
        _sendLock.Dispose();
    }
}

/// <summary>How a socket ended: the close status the server sent (null when it was cut) and whether the <c>shutdown</c> event came first.</summary>
internal sealed record SocketEnd(int? Status, string? Reason, bool AfterShutdownEvent);

/// <summary>The gateway answered <c>connect</c> with an error.</summary>
internal sealed class ConnectRefusedException(JsonElement response) : Exception($"connect refused: {response}")
{
    public bool Retryable { get; } = ProtocolClient.IsRetryable(response);
}

/// <summary>A request was not sent because the socket had already announced its shutdown.</summary>
internal sealed class SendRefusedException(string method) : Exception($"{method} not sent: the shutdown event was already read");

/// <summary>A request was sent but its socket ended before the response.</summary>
internal sealed class UnansweredRequestException(string message) : Exception(message);
