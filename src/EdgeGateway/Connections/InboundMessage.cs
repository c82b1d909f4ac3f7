namespace OpenClaw.EdgeGateway.Connections;

internal enum InboundMessageKind
{
    /// <summary>A complete UTF-8 text message.</summary>
    Text,

    /// <summary>A binary message (its content is discarded).</summary>
    Binary,

    /// <summary>A message over the size limit (its remainder is discarded).</summary>
    TooLarge,

    /// <summary>The peer's close frame.</summary>
    Close,
}

/// <summary>One message read from the socket; <see cref="Payload"/> is only valid until the next read.</summary>
internal readonly record struct InboundMessage(InboundMessageKind Kind, ReadOnlyMemory<byte> Payload);
