namespace OpenClaw.Runtime;

/// <summary>
/// The named stages a silo starts through, in this order, and stops through in reverse. Starting:
/// runtime services, transport (cluster port bound), join (in the membership table as Joining,
/// heartbeats and probes running), directory ready, activations (the catalog takes work), serving
/// (Active: other silos place grains here, clients use it). Stopping: serving ends first
/// (<b>draining</b>: ShuttingDown, new activations go elsewhere, every activation is deactivated and
/// persisted), then join ends (<b>left</b>: Dead in the table), then the transport closes.
/// </summary>
public enum SiloLifecycleStage
{
    RuntimeServices = 1000,
    Transport = 1500,
    Join = 2000,
    DirectoryReady = 3000,
    Activations = 4000,
    Serving = 5000,
}

/// <summary>A part of the silo that starts and stops at a <see cref="SiloLifecycleStage"/>.</summary>
public interface ISiloLifecycleParticipant
{
    SiloLifecycleStage Stage { get; }

    Task StartAsync(CancellationToken cancellationToken);

    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>Where the silo is in its lifecycle (for health and readiness).</summary>
public interface ISiloLifecycle
{
    /// <summary>The highest stage started (while starting) or the stage being stopped (while stopping).</summary>
    SiloLifecycleStage? CurrentStage { get; }

    bool IsServing { get; }

    bool IsStopping { get; }
}
