namespace OpenClaw.EdgeGateway.Connections;

/// <summary>A frame waiting in a socket's send queue. <see cref="Size"/> counts against the slow-consumer limit.</summary>
internal abstract class OutboundFrame
{
    public long Size { get; set; }

    /// <summary>The tenant share <see cref="Size"/> was counted in (null before authentication).</summary>
    public TenantLease? Tenant { get; set; }

    /// <summary>A fully serialized frame (responses).</summary>
    public sealed class Serialized(byte[] bytes) : OutboundFrame
    {
        public byte[] Bytes { get; } = bytes;
    }

    /// <summary>An event; it is serialized when sent so that its <c>seq</c> follows the send order.</summary>
    public sealed class Event(string name, string? payloadJson, bool sequenced) : OutboundFrame
    {
        public string Name { get; } = name;
        public string? PayloadJson { get; } = payloadJson;
        public bool Sequenced { get; } = sequenced;
    }

    /// <summary>Marks the end of the queue: the close frame follows.</summary>
    public sealed class CloseMarker : OutboundFrame
    {
        public static readonly CloseMarker Instance = new();
    }
}

/// <summary>The close frame a socket will end with.</summary>
internal sealed record CloseRequest(int Code, string Reason);
