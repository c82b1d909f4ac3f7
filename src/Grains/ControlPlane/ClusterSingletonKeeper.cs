namespace OpenClaw.Grains.ControlPlane;

/// <summary>
/// The loop behind the keepers of the cluster's one-per-cluster grains (config sync, monitor): every
/// silo calls the grain's <c>EnsureRunning</c> once per interval, which activates it wherever
/// placement puts it or finds it running. When the silo hosting it goes away, the next call from a
/// surviving silo brings it back within about one interval. The runtime has no reminders; this is
/// the same guarantee built from a loop on each silo. A failed call is reported and retried at the
/// next interval; the loop ends only when the silo stops.
/// </summary>
internal static class ClusterSingletonKeeper
{
    public static async Task KeepRunningAsync(Func<CancellationToken, Task> ensureRunning, TimeSpan interval, TimeProvider time,
        Action<Exception> onFailure, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ensureRunning(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                onFailure(exception);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
