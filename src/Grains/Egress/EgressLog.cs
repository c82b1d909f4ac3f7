using System.Net;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Grains.Egress;

/// <summary>Log events of the egress policy (ids 2300–2399).</summary>
internal static partial class EgressLog
{
    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "Egress denied: {Host}:{Port} resolves to {Address} ({Category}), which the egress policy does not allow; add it to egress:allowedNetworks or egress:allowedHosts if it is trusted")]
    public static partial void Denied(ILogger logger, string host, int port, IPAddress address, AddressCategory category);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "Egress connect to {Host}:{Port} failed at {Address}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, IPAddress address, Exception exception);
}
