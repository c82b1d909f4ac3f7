using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Silo.Tests.Admin;

/// <summary>
/// A protocol v4 client on one real WebSocket: the connect handshake with a tenant token, requests
/// matched to responses by id, and how the socket ended (the close status the server sent).
/// </summary>
internal sealed class GatewaySocket : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource _challenge = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private int _nextId;

    /// <summary>The close status the server sent (null when the socket was cut), once it ended.</summary>
    public Task<int?> Closed => _closed.Task;

    /// <summary>Connects and sends <c>connect</c>; the answer is the connect response (ok or not).</summary>
    public static async Task<(GatewaySocket Socket, JsonElement Response)> OpenAsync(Uri uri, string token)
    {
        var client = new GatewaySocket();
        using var timeout = new CancellationTokenSource(Deadline);
        await client._socket.ConnectAsync(uri, timeout.Token);
        client._loop = Task.Run(client.ReceiveAsync);
        await client._challenge.Task.WaitAsync(Deadline);
        var response = await client.RequestAsync("connect", new JsonObject
        {
            ["minProtocol"] = 4,
            ["maxProtocol"] = 4,
            ["client"] = new JsonObject { ["id"] = "cli", ["version"] = "2026.9.6", ["platform"] = "linux", ["mode"] = "cli", ["instanceId"] = Guid.NewGuid().ToString() },
            ["caps"] = new JsonArray(),
            ["auth"] = new JsonObject { ["token"] = token },
            ["role"] = "operator",
            ["scopes"] = new JsonArray(GatewayMethodCatalog.ScopeRead, GatewayMethodCatalog.ScopeWrite),
        });
        return (client, response);
    }

    /// <summary>A connected socket; fails the test when the connect is refused.</summary>
    public static async Task<GatewaySocket> ConnectAsync(Uri uri, string token)
    {
        var (socket, response) = await OpenAsync(uri, token);
        if (!response.GetProperty("ok").GetBoolean())
        {
            await socket.DisposeAsync();
            Assert.Fail($"connect refused: {response}");
        }

        return socket;
    }

    /// <summary>True when a connect with <paramref name="token"/> is refused (an error answer or a closed socket).</summary>
    public static async Task<bool> IsRefusedAsync(Uri uri, string token)
    {
        try
        {
            var (socket, response) = await OpenAsync(uri, token);
            await using (socket)
            {
                return !response.GetProperty("ok").GetBoolean();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or SocketEndedException)
        {
            return true;
        }
    }

    public async Task<JsonElement> RequestAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var frame = new JsonObject { ["type"] = "req", ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await answer.Task.WaitAsync(Deadline);
    }

    /// <summary>The payload of a successful response; fails the test otherwise.</summary>
    public async Task<JsonElement> CallAsync(string method, JsonObject parameters)
    {
        var response = await RequestAsync(method, parameters);
        Assert.True(response.GetProperty("ok").GetBoolean(), $"{method}: {response}");
        return response.GetProperty("payload");
    }

    /// <summary><c>chat.send</c>, then <c>agent.wait</c> until the run ended ok (its reply is persisted).</summary>
    public async Task ChatAsync(string sessionKey, string message)
    {
        var sent = await CallAsync("chat.send", new JsonObject { ["sessionKey"] = sessionKey, ["message"] = message, ["idempotencyKey"] = Guid.NewGuid().ToString("N") });
        var runId = sent.GetProperty("runId").GetString()!;
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var wait = await CallAsync("agent.wait", new JsonObject { ["runId"] = runId, ["timeoutMs"] = 5000 });
            var status = wait.GetProperty("status").GetString();
            if (status == "ok") return;
            Assert.True(status == "timeout" && DateTime.UtcNow < until, $"run {runId}: {wait}");
        }
    }

    /// <summary><c>chat.history</c> as (role, text) pairs.</summary>
    public async Task<List<(string Role, string Text)>> HistoryAsync(string sessionKey)
    {
        var history = await CallAsync("chat.history", new JsonObject { ["sessionKey"] = sessionKey });
        return [.. history.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, Text(m.GetProperty("content"))))];
    }

    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(c => c.TryGetProperty("text", out var text) ? text.GetString() : ""));

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((int?)result.CloseStatus);
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var frame = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                var type = frame.GetProperty("type").GetString();
                if (type == "res" && _pending.TryRemove(frame.GetProperty("id").GetString()!, out var answer)) answer.TrySetResult(frame);
                else if (type == "event" && frame.GetProperty("event").GetString() == "connect.challenge") _challenge.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _challenge.TrySetException(new SocketEndedException());
            foreach (var (_, pending) in _pending) pending.TrySetException(new SocketEndedException());
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", close.Token);
            }

            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            _socket.Abort();
        }

        _socket.Dispose();
    }
}

internal sealed class SocketEndedException() : Exception("the socket ended");
