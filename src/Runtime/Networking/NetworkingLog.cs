using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

internal static partial class NetworkingLog
{
    [LoggerMessage(1100, LogLevel.Debug, "Cluster connection {Endpoint} ({Peer}) closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string endpoint, string peer, string reason);

    [LoggerMessage(1101, LogLevel.Warning, "Cluster connection {Endpoint} ({Peer}) dropped: {Problem}")]
    public static partial void ProtocolViolation(ILogger logger, string endpoint, string peer, string problem);

    [LoggerMessage(1102, LogLevel.Warning, "Cluster connection {Endpoint} dropped: the peer is not reading ({Limit} bytes waiting to be sent)")]
    public static partial void PeerNotReading(ILogger logger, string endpoint, long limit);

    [LoggerMessage(1103, LogLevel.Error, "Cluster connection {Endpoint}: the read loop failed")]
    public static partial void ReadLoopFailed(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(1104, LogLevel.Information, "Cluster port listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(1105, LogLevel.Debug, "Connected to silo {Silo} ({Endpoint})")]
    public static partial void Connected(ILogger logger, SiloAddress silo, string endpoint);

    [LoggerMessage(1106, LogLevel.Debug, "Could not connect to silo {Silo}: {Reason}; next attempt in {DelayMs} ms")]
    public static partial void ConnectFailed(ILogger logger, SiloAddress silo, string reason, long delayMs);

    [LoggerMessage(1107, LogLevel.Debug, "Accepted {Role} {Identity} from {Endpoint}")]
    public static partial void Accepted(ILogger logger, string role, string identity, string endpoint);

    [LoggerMessage(1108, LogLevel.Warning, "Refused a cluster connection from {Endpoint}: {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, string endpoint, string reason);

    [LoggerMessage(1109, LogLevel.Warning, "A request from {Endpoint} could not be read: {Problem}")]
    public static partial void BadRequest(ILogger logger, string endpoint, string problem);
}
