using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// Transport stage: binds the cluster port (which fixes this silo's address and generation),
/// tells the message center who this process is, accepts connections, and expires calls that got
/// no answer in time. Stopping closes the port and every connection.
/// </summary>
internal sealed class TransportLifecycle(
    ClusterListener listener,
    SiloConnector connector,
    MessageCenter center,
    CallbackTable callbacks,
    ClusterGrainCallRouter router,
    LocalObserverRegistry observers,
    GrainTypeRegistry types,
    LocalSilo local,
    IOptions<ClusterOptions> options,
    IOptions<GrainRuntimeOptions> runtimeOptions,
    TimeProvider time) : ISiloLifecycleParticipant
{
    private ITimer? _expiry;

    public SiloLifecycleStage Stage => SiloLifecycleStage.Transport;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        listener.Bind();
        var host = options.Value.AdvertisedHost is { Length: > 0 } configured ? configured : DetectHost();
        local.Set(new SiloAddress(host, listener.Port, SiloAddress.NewGeneration(time)));
        var identity = ClusterIdentity.ForSilo(local.Address);
        observers.OwnerId = identity.Id;
        center.Identity = identity;
        center.Router = router;
        center.LocalManifest = GrainManifest.From(types);
        callbacks.Router = router;
        callbacks.RanOnObserved = router.RememberLocation;
        listener.Start();
        var scan = runtimeOptions.Value.ResponseTimeoutScanInterval;
        _expiry = time.CreateTimer(static s => ((CallbackTable)s!).ExpireCalls(), callbacks, scan, scan);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _expiry?.Dispose();
        await listener.StopAsync().ConfigureAwait(false);
        foreach (var connection in connector.Connections.ToList()) connection.Close("the silo is leaving");
    }

    /// <summary>The first non-loopback IPv4 address of an interface that is up, else loopback.</summary>
    internal static string DetectHost()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
            foreach (var address in nic.GetIPProperties().UnicastAddresses)
                if (address.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address.Address))
                    return address.Address.ToString();
        }
        return IPAddress.Loopback.ToString();
    }
}

/// <summary>Directory-ready stage: the grain directory exists, and the catalog registers every activation in it from now on.</summary>
internal sealed class DirectoryLifecycle(IGrainDirectory directory, Catalog catalog, MessageCenter center, ClusterGrainCallRouter router)
    : ISiloLifecycleParticipant
{
    public SiloLifecycleStage Stage => SiloLifecycleStage.DirectoryReady;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await directory.InitializeAsync(cancellationToken).ConfigureAwait(false);
        catalog.Cluster = router;
        center.InboundHandler = router;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Serving stage: Active in the table (grains are placed here). Stopping starts the drain:
/// ShuttingDown in the table, then a pause so that every silo and client has seen it before the
/// activations are deactivated (the next stage down).
/// </summary>
internal sealed class ServingLifecycle(MembershipAgent agent, Catalog catalog, IOptions<ClusterOptions> options, TimeProvider time, ILogger<ServingLifecycle> logger)
    : ISiloLifecycleParticipant
{
    public SiloLifecycleStage Stage => SiloLifecycleStage.Serving;

    public Task StartAsync(CancellationToken cancellationToken) => agent.SetStatusAsync(SiloStatus.Active, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await agent.SetStatusAsync(SiloStatus.ShuttingDown, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ClusterLog.LeaveFailed(logger, ex.Message);
        }
        ClusterLog.Draining(logger, catalog.Count);
        await Task.Delay(options.Value.DrainNoticeDelay, time, cancellationToken).ConfigureAwait(false);
    }
}
