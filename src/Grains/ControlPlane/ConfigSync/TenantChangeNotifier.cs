using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// Tells the tenants that changed and are active now (<see cref="IGrainActivationLookup"/>) to reload
/// (<see cref="IUserGrainControl.TenantChanged"/>); dormant tenants are left dormant. A notice that
/// fails is logged and dropped: the tenant still reads the change when it next activates, and its
/// edges re-check tokens at their renewal interval.
/// </summary>
public sealed class TenantChangeNotifier(IGrainFactory grainFactory, IGrainActivationLookup activations, ILogger logger, int maxConcurrency)
{
    /// <summary>Notifies the active ones among <paramref name="tenantIds"/>; returns how many were notified.</summary>
    public async Task<int> NotifyAsync(IReadOnlyList<string> tenantIds, CancellationToken cancellationToken)
    {
        var notified = 0;
        await Parallel.ForEachAsync(tenantIds, new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (tenantId, token) =>
            {
                try
                {
                    if (!await activations.IsActiveAsync<IUserGrainControl>(grainFactory, tenantId, token).ConfigureAwait(false)) return;
                    await grainFactory.GetGrain<IUserGrainControl>(tenantId).TenantChanged(token).ConfigureAwait(false);
                    Interlocked.Increment(ref notified);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    ConfigSyncLog.NotifyFailed(logger, tenantId, exception);
                }
            }).ConfigureAwait(false);
        return notified;
    }
}
