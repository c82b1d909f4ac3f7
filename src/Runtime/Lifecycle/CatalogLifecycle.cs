namespace OpenClaw.Runtime;

/// <summary>
/// The catalog's stage: when the silo stops, every activation is deactivated (its
/// <see cref="Grain.OnDeactivateAsync"/> runs and persists) before the silo leaves the cluster and
/// the process exits; meanwhile new work for grains that are not active here goes elsewhere (or,
/// for a single silo, is refused).
/// </summary>
internal sealed class CatalogLifecycle(Catalog catalog) : ISiloLifecycleParticipant
{
    public SiloLifecycleStage Stage => SiloLifecycleStage.Activations;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) =>
        catalog.DeactivateAllAsync(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "silo shutting down"), cancellationToken);
}
