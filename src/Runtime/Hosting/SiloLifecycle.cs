using Microsoft.Extensions.Hosting;

namespace OpenClaw.Runtime;

/// <summary>
/// Graceful shutdown: when the host stops, every activation is deactivated (its
/// <see cref="Grain.OnDeactivateAsync"/> runs and persists) before the process exits.
/// Registered before the edge and other hosted services, so it stops after them.
/// </summary>
internal sealed class SiloLifecycle(Catalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        catalog.DeactivateAllAsync(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "silo shutting down"), cancellationToken);
}
