namespace OpenClaw.Silo;

/// <summary>The switches that decide what a silo process runs.</summary>
internal static class SiloHostSettings
{
    /// <summary><c>cluster:enabled</c>: join a cluster of silos through PostgreSQL (default false: one silo on its own).</summary>
    public const string ClusterEnabled = "cluster:enabled";

    /// <summary><c>edge:enabled</c>: also serve the WebSocket gateway in this process (default true; false in a cluster with separate edges).</summary>
    public const string EdgeEnabled = "edge:enabled";

    public static bool HostsEdge(IConfiguration configuration) => configuration.GetValue(EdgeEnabled, true);
}
