using System.Text.Json;

namespace OpenClaw.Runtime;

/// <summary>
/// Encoding of every frame kind. Layouts (after the length prefix and the kind byte; strings are
/// int32-length-prefixed UTF-8, blocks int32-length-prefixed bytes):
/// <list type="bullet">
/// <item><c>Hello</c>: int32 protocol version, string cluster id, byte role, string identity (silo address or client id).</item>
/// <item><c>HelloAck</c>: int32 protocol version, string cluster id, string silo address, block manifest (JSON).</item>
/// <item><c>Request</c>: int64 correlation id (0 for one-way), byte flags, byte forward count, int32 timeout ms (0: none),
/// string grain type, string grain key, string interface, int32 method id, block arguments (JSON array),
/// then, when the flags have <c>TraceContext</c>, string traceparent (W3C trace context of the caller's span).</item>
/// <item><c>Response</c>: int64 correlation id, byte status, string activation silo (where the grain ran; may be null), block body (JSON).</item>
/// <item><c>Cancel</c>, <c>Ping</c>, <c>Pong</c>: int64 correlation id.</item>
/// </list>
/// </summary>
internal static class ClusterFrames
{
    // 2: request frames may carry a traceparent (RequestFlags.TraceContext). A version-1 process would
    // misread such frames, so the handshake refuses the mix with a clear error instead: a cluster is
    // upgraded from 1 to 2 by stopping every process, not by a rolling restart.
    public const int ProtocolVersion = 2;

    public static OutboundFrame Hello(string clusterId, ConnectionRole role, string identity)
    {
        var builder = FrameBuilder.Start(FrameKind.Hello);
        builder.WriteInt32(ProtocolVersion);
        builder.WriteString(clusterId);
        builder.WriteByte((byte)role);
        builder.WriteString(identity);
        return builder.ToFrame();
    }

    public static OutboundFrame HelloAck(string clusterId, SiloAddress silo, GrainManifest manifest)
    {
        var builder = FrameBuilder.Start(FrameKind.HelloAck);
        builder.WriteInt32(ProtocolVersion);
        builder.WriteString(clusterId);
        builder.WriteString(silo.ToString());
        var slot = builder.BeginBlock();
        using (var writer = new Utf8JsonWriter(builder))
        {
            manifest.Write(writer);
        }
        builder.EndBlock(slot);
        return builder.ToFrame();
    }

    public static OutboundFrame Request(long correlationId, RequestFlags flags, int forwardCount, int timeoutMs, GrainId target, GrainRequest request,
        System.Diagnostics.ActivityContext traceParent = default)
    {
        if (traceParent != default) flags |= RequestFlags.TraceContext;
        else flags &= ~RequestFlags.TraceContext;
        var builder = FrameBuilder.Start(FrameKind.Request);
        builder.WriteInt64(correlationId);
        builder.WriteByte((byte)flags);
        builder.WriteByte((byte)Math.Clamp(forwardCount, 0, byte.MaxValue));
        builder.WriteInt32(timeoutMs);
        builder.WriteString(target.Type);
        builder.WriteString(target.Key);
        builder.WriteString(request.InterfaceName);
        builder.WriteInt32(request.MethodId);
        var slot = builder.BeginBlock();
        using (var writer = new Utf8JsonWriter(builder))
        {
            request.WriteArguments(writer, GrainSerializer.Options);
        }
        builder.EndBlock(slot);
        if (traceParent != default) builder.WriteString(Diagnostics.TraceContextFormat.Format(traceParent));
        return builder.ToFrame();
    }

    /// <summary>A response whose body is written by <paramref name="writeBody"/>.</summary>
    public static OutboundFrame Response<TState>(long correlationId, ResponseStatus status, SiloAddress? ranOn, TState state, Action<Utf8JsonWriter, TState> writeBody)
    {
        var builder = FrameBuilder.Start(FrameKind.Response);
        builder.WriteInt64(correlationId);
        builder.WriteByte((byte)status);
        builder.WriteString(ranOn?.ToString());
        var slot = builder.BeginBlock();
        using (var writer = new Utf8JsonWriter(builder))
        {
            writeBody(writer, state);
        }
        builder.EndBlock(slot);
        return builder.ToFrame();
    }

    /// <summary>A response relayed as it came (a forwarded call's answer going back to the original caller).</summary>
    public static OutboundFrame RelayedResponse(long correlationId, RemoteResponse response)
    {
        var builder = FrameBuilder.Start(FrameKind.Response);
        builder.WriteInt64(correlationId);
        builder.WriteByte((byte)response.Status);
        builder.WriteString(response.RanOn?.ToString());
        builder.WriteBlock(response.Body.Span);
        return builder.ToFrame();
    }

    public static OutboundFrame Control(FrameKind kind, long correlationId)
    {
        var builder = FrameBuilder.Start(kind);
        builder.WriteInt64(correlationId);
        return builder.ToFrame();
    }
}

/// <summary>A response as received: its status, where the grain ran, and the JSON body (result or exception).</summary>
internal sealed record RemoteResponse(ResponseStatus Status, SiloAddress? RanOn, ReadOnlyMemory<byte> Body);
