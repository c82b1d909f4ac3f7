using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>Where the monitor reads the config sync's status from (a seam for tests).</summary>
public interface IConfigSyncStatusReader
{
    Task<ConfigSyncStatus> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>Asks the cluster's <see cref="IConfigSyncGrain"/>.</summary>
internal sealed class GrainConfigSyncStatusReader(IGrainFactory grains) : IConfigSyncStatusReader
{
    public Task<ConfigSyncStatus> ReadAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey).GetStatus(cancellationToken);
}
