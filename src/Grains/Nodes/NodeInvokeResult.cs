namespace OpenClaw.Grains.Nodes;

/// <summary>
/// The answer to a node invoke: the node's <c>node.invoke.result</c> (<see cref="PayloadJson"/> is
/// its payload as JSON text, null when it sent none), or a failure the gateway decided
/// (<c>TIMEOUT</c>, <c>NODE_DISCONNECTED</c>, <c>PAYLOAD_TOO_LARGE</c>).
/// </summary>
internal sealed record NodeInvokeResult(bool Ok, string? PayloadJson, string? ErrorCode, string? ErrorMessage)
{
    public const string Timeout = "TIMEOUT";
    public const string Disconnected = "NODE_DISCONNECTED";
    public const string TooLarge = "PAYLOAD_TOO_LARGE";

    public static NodeInvokeResult Failure(string code, string message) => new(false, null, code, message);
}

/// <summary>A node invoke that could not be sent (no such node, command not declared, too many in flight).</summary>
internal sealed class NodeInvokeException(string code, string message) : Exception(message)
{
    public const string NotConnected = "NODE_NOT_CONNECTED";
    public const string CommandNotDeclared = "COMMAND_NOT_DECLARED";
    public const string TooManyPending = "TOO_MANY_PENDING";

    public string Code { get; } = code;
}
