using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// A whole local cluster (scripts/cluster.sh: PostgreSQL, 2 silos, 2 edges, HAProxy) and protocol
/// clients through the balancer while each edge is restarted in turn: the clients of a stopping edge
/// get the <c>shutdown</c> event, the answers to what they sent and a 1012 close, reconnect through
/// the same URL and continue their sessions on another edge.
/// </summary>
public sealed class EdgeRestartTests(ITestOutputHelper output)
{
    private const int ClientCount = 8;
    private const int Edges = 2;

    /// <summary>The close code a stopping edge sends (1012, service restart).</summary>
    private const int ServiceRestartClose = 1012;

    /// <summary>Answered requests each client must make on a live socket between the steps (a count, not a time).</summary>
    private const int RequestsPerStep = 5;

    [Fact]
    public async Task Clients_of_a_restarted_edge_reconnect_through_the_balancer_and_continue_their_sessions()
    {
        await using var cluster = await ScriptedCluster.StartAsync(output);
        var clients = Enumerable.Range(1, ClientCount).Select(i => new SessionClient(i, cluster.Url, cluster.Token, output)).ToList();
        try
        {
            await Task.WhenAll(clients.Select(c => c.ConnectAsync()));
            var finals = await Task.WhenAll(clients.Select(c => c.ChatAsync(c.FirstMessage)));
            Assert.All(finals, (final, i) => Assert.Contains(clients[i].FirstMessage, FinalText(final)));

            using var stop = new CancellationTokenSource();
            var loops = clients.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToList();
            await AllProgressedAsync(clients, loops, "before the restarts");
            for (var edge = 1; edge <= Edges; edge++)
            {
                await cluster.RestartEdgeAsync(edge);
                await AllProgressedAsync(clients, loops, $"after restarting edge {edge}");
            }
            await stop.CancelAsync();
            await Task.WhenAll(loops);

            foreach (var client in clients)
            {
                output.WriteLine($"{client.SessionKey}: {client.Answered} answered, {client.RetryableErrors} retryable errors, {client.Reconnects} reconnects, sockets ended: {string.Join("; ", client.Ends)}");
                Assert.True(client.Violations.IsEmpty, $"{client.SessionKey}:\n{string.Join('\n', client.Violations)}");
                // Leastconn puts every client on edge 2 while edge 1 restarts, so restarting edge 2 closes them all.
                Assert.True(client.Reconnects >= 1, $"{client.SessionKey} never reconnected");
                Assert.All(client.Ends, end => Assert.True(end is { Status: ServiceRestartClose, AfterShutdownEvent: true }, $"{client.SessionKey}: {end}"));
            }

            // The sessions live on: the earlier turn is in the history, and a new turn completes on the new socket.
            await Task.WhenAll(clients.Select(async client =>
            {
                var history = await client.Socket.RequestAsync("chat.history", new JsonObject { ["sessionKey"] = client.SessionKey }).WaitAsync(ClusterTestTimeouts.ProtocolRequest);
                Assert.True(ProtocolClient.IsOk(history), history.ToString());
                var messages = history.GetProperty("payload").GetProperty("messages").EnumerateArray().ToList();
                Assert.Contains(messages, m => Role(m) == "user" && m.ToString().Contains(client.FirstMessage, StringComparison.Ordinal));
                Assert.Contains(messages, m => Role(m) == "assistant" && m.ToString().Contains(client.FirstMessage, StringComparison.Ordinal));
                var after = $"after the restarts {client.SessionKey}";
                Assert.Contains(after, FinalText(await client.ChatAsync(after)));
            }));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    /// <summary>Waits until every client answered <see cref="RequestsPerStep"/> more requests and holds a live socket; fails at once if a loop died.</summary>
    private async Task AllProgressedAsync(IReadOnlyList<SessionClient> clients, IReadOnlyList<Task> loops, string when)
    {
        var marks = clients.Select(c => c.Answered).ToArray();
        await Eventually.TrueAsync(() =>
        {
            if (loops.FirstOrDefault(l => l.IsFaulted) is { } failed)
                throw new XunitException($"a client loop failed {when}: {failed.Exception}");
            return clients.Select((c, i) => c.Answered >= marks[i] + RequestsPerStep && c.IsLive).All(ok => ok);
        }, ClusterTestTimeouts.ClientProgress, $"every client answered {RequestsPerStep} more requests on a live socket {when}");
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} every client progressed {when}");
    }

    private static string? Role(JsonElement message) => message.TryGetProperty("role", out var role) ? role.GetString() : null;

    private static string FinalText(JsonElement final) =>
        string.Concat(final.GetProperty("payload").GetProperty("message").GetProperty("content").EnumerateArray()
            .Select(c => c.TryGetProperty("text", out var t) ? t.GetString() : ""));

    /// <summary>
    /// One client on its own session: connects through the balancer, sends requests back to back,
    /// and when its socket announces a shutdown sends nothing more on it, waits for the close and
    /// reconnects through the same URL. Everything that breaks the edge's promises is a violation.
    /// </summary>
    private sealed class SessionClient(int index, Uri url, string token, ITestOutputHelper output) : IAsyncDisposable
    {
        private static readonly string[] Scopes = ["operator.read", "operator.write"];
        private readonly ConcurrentQueue<SocketEnd> _ends = new();
        private ProtocolClient? _socket;
        private int _answered;
        private int _retryableErrors;
        private int _reconnects;

        public string SessionKey { get; } = $"agent:main:client-{index}";

        public string FirstMessage => $"before the restarts {SessionKey}";

        public ProtocolClient Socket => _socket ?? throw new InvalidOperationException("not connected");

        public ConcurrentQueue<string> Violations { get; } = new();

        public IReadOnlyCollection<SocketEnd> Ends => _ends;

        public int Answered => Volatile.Read(ref _answered);

        public int RetryableErrors => Volatile.Read(ref _retryableErrors);

        public int Reconnects => Volatile.Read(ref _reconnects);

        /// <summary>Connected, and its socket has neither announced a shutdown nor ended.</summary>
        public bool IsLive => Volatile.Read(ref _socket) is { } s && !s.Shutdown.IsCompleted && !s.Closed.IsCompleted;

        public async Task ConnectAsync() => Volatile.Write(ref _socket, await ConnectWithRetriesAsync());

        /// <summary>Sends a chat message on the current socket and returns the run's <c>final</c> event, received on that socket.</summary>
        public async Task<JsonElement> ChatAsync(string message)
        {
            var socket = Socket;
            var runId = Guid.NewGuid().ToString();
            // The tenant runs at most 4 chats at a time: more are refused retryably, with a retry delay.
            var until = DateTime.UtcNow + ClusterTestTimeouts.ChatTurn;
            while (true)
            {
                var ack = await socket.RequestAsync("chat.send", new JsonObject
                {
                    ["sessionKey"] = SessionKey,
                    ["message"] = message,
                    ["idempotencyKey"] = runId,
                }).WaitAsync(ClusterTestTimeouts.ProtocolRequest);
                if (ProtocolClient.IsOk(ack)) break;
                Assert.True(ProtocolClient.IsRetryable(ack) && DateTime.UtcNow < until, ack.ToString());
                await Task.Delay(RetryAfter(ack));
            }
            var end = await socket.WaitForEventAsync(e => ProtocolClient.Name(e) == "chat"
                && e.GetProperty("payload").GetProperty("runId").GetString() == runId
                && e.GetProperty("payload").GetProperty("state").GetString() is "final" or "error", ClusterTestTimeouts.ChatTurn);
            Assert.True(end.GetProperty("payload").GetProperty("state").GetString() == "final", end.ToString());
            return end;
        }

        private static TimeSpan RetryAfter(JsonElement error) =>
            error.GetProperty("error").TryGetProperty("retryAfterMs", out var ms) && ms.TryGetInt32(out var value)
                ? TimeSpan.FromMilliseconds(value)
                : ClusterTestTimeouts.ReconnectBackoff;

        /// <summary>chat.history and health back to back until <paramref name="stop"/>, reconnecting after each shutdown.</summary>
        public async Task RunAsync(CancellationToken stop)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var socket = Socket;
                if (socket.Shutdown.IsCompleted || socket.Closed.IsCompleted)
                {
                    await ReplaceAsync(socket);
                    continue;
                }
                var (method, parameters) = n % 2 == 0
                    ? ("chat.history", new JsonObject { ["sessionKey"] = SessionKey })
                    : ("health", new JsonObject());
                try
                {
                    var response = await socket.RequestAsync(method, parameters).WaitAsync(ClusterTestTimeouts.ProtocolRequest);
                    if (ProtocolClient.IsOk(response)) Interlocked.Increment(ref _answered);
                    else if (ProtocolClient.IsRetryable(response)) Interlocked.Increment(ref _retryableErrors);
                    else Violations.Enqueue($"{method}: non-retryable error {response}");
                }
                catch (SendRefusedException)
                {
                    // The shutdown event was read first: nothing was sent; the next turn reconnects.
                }
                catch (UnansweredRequestException ex)
                {
                    Violations.Enqueue($"{method} sent before the shutdown event was never answered: {ex.Message}");
                }
                catch (TimeoutException)
                {
                    Violations.Enqueue($"{method}: no response within {ClusterTestTimeouts.ProtocolRequest.TotalSeconds:0} s");
                }
            }
        }

        private async Task ReplaceAsync(ProtocolClient old)
        {
            try
            {
                var end = await old.Closed.WaitAsync(ClusterTestTimeouts.CloseAfterShutdown);
                _ends.Enqueue(end);
                if (end is not { Status: ServiceRestartClose, AfterShutdownEvent: true })
                    Violations.Enqueue($"the socket ended {end}; expected the shutdown event, then close 1012");
            }
            catch (TimeoutException)
            {
                Violations.Enqueue($"the socket was not closed within {ClusterTestTimeouts.CloseAfterShutdown.TotalSeconds:0} s of its shutdown event");
            }
            await old.DisposeAsync();
            Volatile.Write(ref _socket, await ConnectWithRetriesAsync());
            Interlocked.Increment(ref _reconnects);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {SessionKey} reconnected");
        }

        private async Task<ProtocolClient> ConnectWithRetriesAsync()
        {
            var until = DateTime.UtcNow + ClusterTestTimeouts.Reconnect;
            var failed = 0;
            while (true)
            {
                try
                {
                    return await ProtocolClient.ConnectAsync(url, token, Scopes);
                }
                catch (ConnectRefusedException ex) when (!ex.Retryable)
                {
                    Violations.Enqueue($"connect: non-retryable error: {ex.Message}");
                    throw;
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or InvalidOperationException
                    or ConnectRefusedException or UnansweredRequestException or SendRefusedException)
                {
                    failed++;
                    if (DateTime.UtcNow >= until)
                        throw new XunitException($"{SessionKey}: no connect within {ClusterTestTimeouts.Reconnect.TotalSeconds:0} s ({failed} attempts; last: {ex.GetType().Name}: {ex.Message})");
                    await Task.Delay(ClusterTestTimeouts.ReconnectBackoff);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Volatile.Read(ref _socket) is { } socket) await socket.DisposeAsync();
        }
    }

    /// <summary>A cluster started by scripts/cluster.sh in its own folder; stopped (everything it started) on dispose.</summary>
    private sealed class ScriptedCluster : IAsyncDisposable
    {
        private readonly ITestOutputHelper _output;
        private readonly string _script;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), $"openclaw-edgerestart-{Guid.NewGuid():N}");

        private ScriptedCluster(ITestOutputHelper output)
        {
            _output = output;
            _script = Path.Combine(RepositoryRoot(), "scripts", "cluster.sh");
        }

        public Uri Url { get; private set; } = null!;

        public string Token { get; private set; } = "";

        public static async Task<ScriptedCluster> StartAsync(ITestOutputHelper output)
        {
            var cluster = new ScriptedCluster(output);
            try
            {
                await cluster.RunAsync(ClusterTestTimeouts.ClusterScriptStart, "start", "--silos", "2", "--edges", Edges.ToString(CultureInfo.InvariantCulture),
                    "--no-build", "--port", FreePort.Next().ToString(CultureInfo.InvariantCulture));
                var settings = (await cluster.RunAsync(ClusterTestTimeouts.ClusterScriptCommand, "env"))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(line => line.Split('=', 2)).Where(pair => pair.Length == 2)
                    .ToDictionary(pair => pair[0], pair => pair[1]);
                cluster.Url = new Uri(settings["OPENCLAW_CLUSTER_URL"]);
                cluster.Token = settings["OPENCLAW_CLUSTER_TOKEN"];
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        public Task RestartEdgeAsync(int edge) => RunAsync(ClusterTestTimeouts.EdgeRestart, "restart-edge", edge.ToString(CultureInfo.InvariantCulture));

        private async Task<string> RunAsync(TimeSpan deadline, params string[] arguments)
        {
            _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} cluster.sh {arguments[0]}");
            var text = await ExternalCommand.RunAsync("bash", [_script, .. arguments, "--dir", _dir], deadline);
            _output.WriteLine(text.Replace(Token.Length > 0 ? Token : "\0", "<token>", StringComparison.Ordinal).TrimEnd());
            return text;
        }

        /// <summary>The folder holding scripts/cluster.sh, above the silo build output.</summary>
        private static string RepositoryRoot()
        {
            for (var dir = Path.GetDirectoryName(BuiltExecutables.SiloDll); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "scripts", "cluster.sh"))) return dir;
            }
            throw new InvalidOperationException($"no scripts/cluster.sh above {BuiltExecutables.SiloDll}");
        }

        public async ValueTask DisposeAsync()
        {
            for (var edge = 1; edge <= Edges; edge++)
            {
                var log = Path.Combine(_dir, $"edge-{edge}", "edge.log");
                if (File.Exists(log)) _output.WriteLine($"--- end of edge {edge}'s log:\n{string.Join('\n', File.ReadLines(log).TakeLast(15))}");
            }
            try
            {
                await RunAsync(ClusterTestTimeouts.ClusterScriptCommand, "stop");
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                _output.WriteLine($"cluster.sh stop failed: {ex.Message}");
            }
        }
    }
}
