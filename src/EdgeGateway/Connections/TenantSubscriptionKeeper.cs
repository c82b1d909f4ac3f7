using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Keeps a socket subscribed to its tenant's events: registers the observer with the grain
/// factory, subscribes right after hello-ok, and renews at the renewal interval (a third of the
/// subscription expiration by default). Each renewal first re-checks the socket's token through
/// the <see cref="TokenDirectory"/>: a revoked token closes the socket with 4001. On stop it
/// unsubscribes and deletes the observer reference.
/// </summary>
internal sealed class TenantSubscriptionKeeper(
    IGrainFactory grainFactory,
    IUserGrain grain,
    TokenDirectory tokens,
    ConnectionIdentity identity,
    string connectionId,
    TenantEventObserver observer,
    EdgeGatewayOptions options,
    TimeProvider time,
    ILogger logger,
    Action onCredentialsRevoked)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private ITenantEventObserver? _reference;
    private Task _lastSubscribe = Task.CompletedTask;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var renewal = options.EffectiveSubscriptionRenewalInterval;
        var retry = renewal < MaxRetryDelay ? renewal : MaxRetryDelay;
        var callTimeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMs);
        var first = true;

        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = renewal;
            try
            {
                if (!first && !await TokenStillValidAsync(cancellationToken).ConfigureAwait(false))
                {
                    EdgeGatewayLog.CredentialsRevoked(logger, connectionId, identity.TenantId);
                    onCredentialsRevoked();
                    return;
                }
                first = false;
                _reference ??= grainFactory.CreateObjectReference<ITenantEventObserver>(observer);
                _lastSubscribe = grain.Subscribe(connectionId, _reference);
                await _lastSubscribe.WaitAsync(callTimeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                EdgeGatewayLog.SubscribeFailed(logger, ex, connectionId, identity.TenantId, (long)retry.TotalMilliseconds);
                delay = retry;
            }

            try
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Unsubscribes (bounded by <paramref name="timeout"/>) and unregisters the observer.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        var reference = Interlocked.Exchange(ref _reference, null);
        if (reference is null) return;
        try
        {
            // A renewal still in flight must not land after the unsubscribe.
            await _lastSubscribe.WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Its failure was logged by the renewal loop, or it timed out: unsubscribe anyway.
        }
        try
        {
            await grain.Unsubscribe(connectionId).WaitAsync(timeout, time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.UnsubscribeFailed(logger, ex, connectionId, identity.TenantId);
        }
        try
        {
            grainFactory.DeleteObjectReference(reference);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.UnsubscribeFailed(logger, ex, connectionId, identity.TenantId);
        }
    }

    private async Task<bool> TokenStillValidAsync(CancellationToken cancellationToken)
    {
        try
        {
            var tenantId = await tokens.FindTenantAsync(identity.Token, cancellationToken).ConfigureAwait(false);
            return string.Equals(tenantId, identity.TenantId, StringComparison.Ordinal);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // The store is unreachable: keep the socket (it authenticated) and check again next time.
            EdgeGatewayLog.TokenRecheckFailed(logger, ex, connectionId, identity.TenantId);
            return true;
        }
    }
}
