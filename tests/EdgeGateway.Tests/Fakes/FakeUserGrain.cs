using System.Collections.Concurrent;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests.Fakes;

/// <summary>
/// A stand-in for the tenant grain. Known methods echo what the edge sent
/// (<c>{tenant, method, params, scopes, clientId, clientMode, connectionId, interleaved}</c>);
/// unknown ones answer <c>INVALID_REQUEST "unknown method: X"</c> as the real grain does.
/// Test methods: <c>test.slow {delayMs}</c>, <c>test.throw</c>, <c>test.emit {event, payload, count?}</c>,
/// <c>test.raw {json}</c> (returns the given payload text verbatim). <c>chat.send</c> takes
/// <see cref="ChatSendDelay"/>; <c>agent</c> answers accepted + FinalPending and <c>agent.final</c> the final result.
/// </summary>
internal sealed class FakeUserGrain(string tenantId) : IUserGrain
{
    public string TenantId { get; } = tenantId;

    public ConcurrentQueue<(GatewayCall Call, bool Interleaved)> Calls { get; } = new();

    public ConcurrentDictionary<string, ITenantEventObserver> Subscribers { get; } = new();

    public ConcurrentQueue<string> Unsubscribed { get; } = new();

    public int SubscribeCount => Volatile.Read(ref _subscribeCount);

    public TimeSpan ChatSendDelay { get; set; } = TimeSpan.Zero;

    private int _subscribeCount;

    public Task<GatewayReply> Invoke(GatewayCall call, CancellationToken cancellationToken) => HandleAsync(call, interleaved: false);

    public Task<GatewayReply> InvokeInterleaved(GatewayCall call, CancellationToken cancellationToken) => HandleAsync(call, interleaved: true);

    public Task Subscribe(string connectionId, ITenantEventObserver observer)
    {
        Interlocked.Increment(ref _subscribeCount);
        Subscribers[connectionId] = observer;
        return Task.CompletedTask;
    }

    public Task Unsubscribe(string connectionId)
    {
        Subscribers.TryRemove(connectionId, out _);
        Unsubscribed.Enqueue(connectionId);
        return Task.CompletedTask;
    }

    /// <summary>Sends an event to every subscribed connection of this tenant.</summary>
    public void Emit(string name, string payloadJson)
    {
        foreach (var observer in Subscribers.Values) observer.OnEvent(new TenantEvent(name, payloadJson));
    }

    private async Task<GatewayReply> HandleAsync(GatewayCall call, bool interleaved)
    {
        Calls.Enqueue((call, interleaved));
        using var parameters = call.ParamsJson is null ? null : JsonDocument.Parse(call.ParamsJson);
        var root = parameters?.RootElement;

        switch (call.Method)
        {
            case "test.slow":
                await Task.Delay(root?.GetProperty("delayMs").GetInt32() ?? 1000);
                return Echo(call, interleaved);
            case "test.throw":
                throw new InvalidOperationException("the grain broke");
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
