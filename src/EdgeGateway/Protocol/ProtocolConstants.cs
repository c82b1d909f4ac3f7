namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>Fixed values of the OpenClaw Gateway protocol v4 (PROTOCOL.md §0–§2).</summary>
internal static class ProtocolConstants
{
    public const int ProtocolVersion = 4;

    public const string RequestType = "req";
    public const string ResponseType = "res";
    public const string EventType = "event";
    public const string HelloOkType = "hello-ok";

    public const string ConnectMethod = "connect";

    public const string ChallengeEvent = "connect.challenge";
    public const string TickEvent = "tick";
    public const string ShutdownEvent = "shutdown";

    /// <summary>Capabilities announced in <c>connect.challenge</c>.</summary>
    public static readonly IReadOnlyList<string> ChallengeCapabilities = ["model-catalog-snapshot"];

    public const string DefaultRole = "operator";

    /// <summary>Roles the connect schema allows.</summary>
    public static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal) { "operator", "node", "worker" };

    public const string AuthMethodToken = "token";

    public const string DefaultAgentId = "main";
    public const string MainKey = "main";
    public const string MainSessionKey = "agent:main:main";
    public const string SessionScope = "per-sender";

    public const string ShutdownReason = "service restart";
}
