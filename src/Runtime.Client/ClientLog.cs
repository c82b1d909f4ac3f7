using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime.Client;

internal static partial class ClientLog
{
    [LoggerMessage(1300, LogLevel.Information, "Cluster client {ClientId}: {Serving} serving silos, gateway {Gateway}")]
    public static partial void MembershipChanged(ILogger logger, string clientId, int serving, string gateway);

    [LoggerMessage(1301, LogLevel.Warning, "Cluster client {ClientId}: reading the membership table failed: {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string clientId, string reason);

    [LoggerMessage(1302, LogLevel.Debug, "Cluster client {ClientId}: could not connect to {Silo}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, string clientId, SiloAddress silo, string reason);

    [LoggerMessage(1303, LogLevel.Information, "Cluster client {ClientId} started")]
    public static partial void Started(ILogger logger, string clientId);
}
