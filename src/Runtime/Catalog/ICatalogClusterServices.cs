namespace OpenClaw.Runtime;

/// <summary>
/// What the catalog needs when the silo is part of a cluster: registering each activation in the
/// grain directory before it activates (and unregistering it after it deactivated), sending
/// messages that do not belong here to where they belong, and the lease that fences a silo that
/// may have been declared dead. A single silo without a cluster has none of this.
/// </summary>
internal interface ICatalogClusterServices
{
    SiloAddress Silo { get; }

    ISiloLease Lease { get; }

    /// <summary>The registered activation afterwards: <paramref name="address"/> if it won, else the winner.</summary>
    Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>Best effort: failures are logged (the entry is replaced once it is found stale).</summary>
    Task UnregisterAsync(GrainAddress address);

    /// <summary>Records a new activation in the audit table when that is enabled.</summary>
    Task RecordActivationAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>This silo lost the registration race: the message goes to the winner.</summary>
    void ForwardTo(GrainMessage message, SiloAddress silo);

    /// <summary>The message has no activation here and must not create one (the silo is draining, or the activation left): route it anew.</summary>
    void Reroute(GrainMessage message);
}
