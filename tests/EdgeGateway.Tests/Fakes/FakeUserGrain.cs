using System.Collections.Concurrent;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests.Fakes;

/// <summary>
/// A stand-in for the tenant grain. Known methods echo what the edge sent
/// (<c>{tenant, method, params, scopes, clientId, clientMode, connectionId, interleaved}</c>);
/// unknown ones answer <c>INVALID_REQUEST "unknown method: X"</c> as the real grain does.
/// Test methods: <c>test.slow {delayMs}</c>, <c>test.throw</c>, <c>test.emit {event, payload, count?}</c>,
/// <c>test.raw {json}</c> (returns the given payload text verbatim), <c>test.block</c> (waits for
/// <see cref="ReleaseBlocked"/>), <c>test.corrupt</c> (fails as a tenant with damaged stored state).
/// <c>chat.send</c> takes <see cref="ChatSendDelay"/>; <c>agent</c> answers accepted + FinalPending and
/// <c>agent.final</c> the final result; <c>agent.wait {runId, timeoutMs?}</c> behaves like the real
/// grain: it waits for the run (<see cref="FinishRun"/>) at most <see cref="MaxCallWait"/> and then
/// answers <c>status:"timeout"</c>. Every call first takes a slot of the factory's shared capacity
/// (a model of the silo's finite resources), held until the call ends.
/// </summary>
internal sealed class FakeUserGrain(string tenantId, SemaphoreSlim? sharedCapacity = null) : IUserGrain
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _runs = new();

    public string TenantId { get; } = tenantId;

    /// <summary>The longest an <c>agent.wait</c> waits in one call (the real grain's <c>MaxCallWait</c>).</summary>
    public TimeSpan MaxCallWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Number of <c>test.block</c> calls currently waiting.</summary>
    public int Blocked => Volatile.Read(ref _blocked);

    private int _blocked;

    /// <summary>Lets every waiting (and future) <c>test.block</c> call finish.</summary>
    public void ReleaseBlocked() => _released.TrySetResult();

    /// <summary>Ends the run <paramref name="runId"/>: waiting <c>agent.wait</c> calls answer <c>ok</c>.</summary>
    public void FinishRun(string runId) => Run(runId).TrySetResult();

    private TaskCompletionSource Run(string runId) => _runs.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public ConcurrentQueue<(GatewayCall Call, bool Interleaved)> Calls { get; } = new();

    /// <summary>Current subscriptions by subscriber id (one per edge hub, not per socket).</summary>
    public ConcurrentDictionary<string, ITenantEventObserver> Subscribers { get; } = new();

    /// <summary>
    /// While set, every call (requests and subscribes) fails with <see cref="OpenClaw.Runtime.SiloUnavailableException"/>:
    /// the silo that held the tenant died. Subscriptions made before are dropped, as they would die with it.
    /// </summary>
    public bool SiloDown
    {
        get => Volatile.Read(ref _siloDown);
        set
        {
            Volatile.Write(ref _siloDown, value);
            if (value) Subscribers.Clear();
        }
    }

    private bool _siloDown;
    private int _refusedCalls;

    /// <summary>Requests refused while <see cref="SiloDown"/>.</summary>
    public int RefusedCalls => Volatile.Read(ref _refusedCalls);

    /// <summary>Every call and subscribe in arrival order ("subscribe" or the method name), to check what came first.</summary>
    public ConcurrentQueue<string> Arrivals { get; } = new();

    public ConcurrentQueue<string> Unsubscribed { get; } = new();

    public int SubscribeCount => Volatile.Read(ref _subscribeCount);

    public TimeSpan ChatSendDelay { get; set; } = TimeSpan.Zero;

    private int _subscribeCount;

    public Task<GatewayReply> Invoke(GatewayCall call, CancellationToken cancellationToken) => HandleAsync(call, interleaved: false);

    public Task<GatewayReply> InvokeInterleaved(GatewayCall call, CancellationToken cancellationToken) => HandleAsync(call, interleaved: true);

    public Task Subscribe(string subscriberId, ITenantEventObserver observer)
    {
        if (SiloDown) return Task.FromException(new OpenClaw.Runtime.SiloUnavailableException("silo 127.0.0.1:1@1 is dead"));
        Interlocked.Increment(ref _subscribeCount);
        Subscribers[subscriberId] = observer;
        Arrivals.Enqueue("subscribe");
        return Task.CompletedTask;
    }

    public Task Unsubscribe(string connectionId)
    {
        Subscribers.TryRemove(connectionId, out _);
        Unsubscribed.Enqueue(connectionId);
        return Task.CompletedTask;
    }

    /// <summary>Sockets the edge reported open and not yet closed, by connection id.</summary>
    public ConcurrentDictionary<string, GatewayConnectionInfo> OpenConnections { get; } = new();

    /// <summary>Every connection report in arrival order: <c>opened:id</c> or <c>closed:id</c>.</summary>
    public ConcurrentQueue<string> ConnectionReports { get; } = new();

    /// <summary>While set, connection reports fail (the grain is unreachable).</summary>
    public bool FailConnectionReports { get; set; }

    public Task ConnectionOpened(GatewayConnectionInfo connection)
    {
        if (FailConnectionReports) return Task.FromException(new OpenClaw.Runtime.SiloUnavailableException("silo 127.0.0.1:1@1 is dead"));
        ConnectionReports.Enqueue("opened:" + connection.ConnectionId);
        OpenConnections[connection.ConnectionId] = connection;
        return Task.CompletedTask;
    }

    public Task ConnectionClosed(string connectionId)
    {
        if (FailConnectionReports) return Task.FromException(new OpenClaw.Runtime.SiloUnavailableException("silo 127.0.0.1:1@1 is dead"));
        ConnectionReports.Enqueue("closed:" + connectionId);
        OpenConnections.TryRemove(connectionId, out _);
        return Task.CompletedTask;
    }

    /// <summary>Sends <paramref name="tenantEvent"/> (with its filters) to every subscriber.</summary>
    public void Emit(TenantEvent tenantEvent)
    {
        foreach (var observer in Subscribers.Values) observer.OnEvent(tenantEvent);
    }

    /// <summary>Sends an event to every subscribed connection of this tenant.</summary>
    public void Emit(string name, string payloadJson, IReadOnlyList<string>? audience = null)
    {
        foreach (var observer in Subscribers.Values) observer.OnEvent(new TenantEvent(name, payloadJson) { Audience = audience });
    }

    private async Task<GatewayReply> HandleAsync(GatewayCall call, bool interleaved)
    {
        if (SiloDown)
        {
            Interlocked.Increment(ref _refusedCalls);
            throw new OpenClaw.Runtime.SiloUnavailableException("silo 127.0.0.1:1@1 is dead");
        }
        Arrivals.Enqueue(call.Method);
        Calls.Enqueue((call, interleaved));
        if (sharedCapacity is null) return await HandleCoreAsync(call, interleaved);
        await sharedCapacity.WaitAsync();
        try
        {
            return await HandleCoreAsync(call, interleaved);
        }
        finally
        {
            sharedCapacity.Release();
        }
    }

    private async Task<GatewayReply> HandleCoreAsync(GatewayCall call, bool interleaved)
    {
        using var parameters = call.ParamsJson is null ? null : JsonDocument.Parse(call.ParamsJson);
        var root = parameters?.RootElement;

        switch (call.Method)
        {
            case "test.slow":
                await Task.Delay(root?.GetProperty("delayMs").GetInt32() ?? 1000);
                return Echo(call, interleaved);
            case "test.throw":
                throw new InvalidOperationException("the grain broke");
            case "test.corrupt":
                throw new OpenClaw.Runtime.GrainActivationException("activation of user/" + TenantId + " failed",
                    new OpenClaw.Runtime.GrainStorageCorruptedException("state is damaged", "/var/lib/openclaw/grains/user/" + TenantId + ".json"));
            case "test.block":
                Interlocked.Increment(ref _blocked);
                try
                {
                    await _released.Task;
                }
                finally
                {
                    Interlocked.Decrement(ref _blocked);
                }
                return Echo(call, interleaved);
            case "agent.wait":
                var waitedRun = root!.Value.GetProperty("runId").GetString()!;
                var wait = MaxCallWait;
                if (root.Value.TryGetProperty("timeoutMs", out var timeoutMs) && TimeSpan.FromMilliseconds(timeoutMs.GetInt64()) < wait)
                    wait = TimeSpan.FromMilliseconds(timeoutMs.GetInt64());
                var finished = await Task.WhenAny(Run(waitedRun).Task, Task.Delay(wait)) == Run(waitedRun).Task;
                return GatewayReply.Success("{\"runId\":\"" + waitedRun + "\",\"status\":\"" + (finished ? "ok" : "timeout") + "\"}");
            case "test.raw":
                return GatewayReply.Success(root!.Value.GetProperty("json").GetString()!);
            case "test.emit":
                var count = root!.Value.TryGetProperty("count", out var c) ? c.GetInt32() : 1;
                for (var i = 0; i < count; i++) Emit(root.Value.GetProperty("event").GetString()!, root.Value.GetProperty("payload").GetRawText());
                return GatewayReply.Success("{\"emitted\":" + count + "}");
            case "chat.send":
                if (ChatSendDelay > TimeSpan.Zero) await Task.Delay(ChatSendDelay);
                return GatewayReply.Success("{\"runId\":\"run-1\",\"status\":\"started\"}");
            case "chat.abort":
                return GatewayReply.Success("{\"ok\":true,\"aborted\":true,\"runIds\":[\"run-1\"]}");
            case "agent":
                return new GatewayReply
                {
                    Ok = true,
                    PayloadJson = "{\"runId\":\"run-7\",\"status\":\"accepted\"}",
                    FinalPending = true,
                    RunId = "run-7",
                };
            case GatewayMethodCatalog.AgentFinal:
                var runId = root!.Value.GetProperty("runId").GetString();
                return GatewayReply.Success("{\"runId\":\"" + runId + "\",\"status\":\"ok\",\"summary\":\"done\"}");
            default:
                if (GatewayMethodCatalog.Methods.ContainsKey(call.Method)) return Echo(call, interleaved);
                return GatewayReply.Failure(GatewayError.InvalidRequest($"unknown method: {call.Method}"));
        }
    }

    private GatewayReply Echo(GatewayCall call, bool interleaved)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("tenant", TenantId);
            writer.WriteString("method", call.Method);
            writer.WritePropertyName("params");
            if (call.ParamsJson is null) writer.WriteNullValue(); else writer.WriteRawValue(call.ParamsJson);
            writer.WriteStartArray("scopes");
            foreach (var scope in call.Scopes) writer.WriteStringValue(scope);
            writer.WriteEndArray();
            writer.WriteString("clientId", call.ClientId);
            writer.WriteString("clientMode", call.ClientMode);
            writer.WriteString("connectionId", call.ConnectionId);
            writer.WriteString("requestId", call.RequestId);
            writer.WriteBoolean("interleaved", interleaved);
            writer.WriteEndObject();
        }
        return GatewayReply.Success(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
