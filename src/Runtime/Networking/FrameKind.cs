namespace OpenClaw.Runtime;

/// <summary>
/// The kinds of frame on a cluster connection. Every frame is
/// <c>[int32 little-endian length of what follows][byte kind][fields…]</c>; see <see cref="ClusterFrames"/>.
/// </summary>
internal enum FrameKind : byte
{
    /// <summary>First frame of the connecting side: protocol version, cluster id, role, identity.</summary>
    Hello = 1,

    /// <summary>The accepting silo's answer: its address and its grain manifest.</summary>
    HelloAck = 2,

    /// <summary>A grain or observer call (two-way or one-way).</summary>
    Request = 3,

    Response = 4,

    /// <summary>The caller gave up on a request: drop it if it has not started, cancel its token if it has.</summary>
    Cancel = 5,

    Ping = 6,

    Pong = 7,
}

/// <summary>Who opened a connection.</summary>
internal enum ConnectionRole : byte
{
    Silo = 1,
    Client = 2,
}

[Flags]
internal enum RequestFlags : byte
{
    None = 0,
    Interleave = 1,
    OneWay = 2,

    /// <summary>The sender's placement chose the receiving silo: activate here (register, and forward if another silo won).</summary>
    PlacedHere = 4,

    /// <summary>A W3C <c>traceparent</c> string follows the arguments block (the caller's span; see Diagnostics).</summary>
    TraceContext = 8,
}

internal enum ResponseStatus : byte
{
    Ok = 0,

    /// <summary>The grain threw (or the runtime failed the call); the body is the exception.</summary>
    Exception = 1,
}
