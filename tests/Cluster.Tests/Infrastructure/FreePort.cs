using System.Net;
using System.Net.Sockets;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>A loopback TCP port that was free a moment ago (callers retry if something took it meanwhile).</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
