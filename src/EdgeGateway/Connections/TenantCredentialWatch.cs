using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Diagnostics;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Re-checks an authenticated socket's token through the <see cref="TokenDirectory"/> at the
/// subscription renewal interval (a third of the subscription expiration by default): a token that
/// was revoked or now names another tenant closes the socket with 4001. A store that cannot be
/// reached keeps the socket (it authenticated) until the next check. A credentials-changed notice of
/// the tenant (<paramref name="credentialsChanged"/>, from the config sync) makes it re-check at once,
/// past the token cache.
/// </summary>
internal static class TenantCredentialWatch
{
    public static async Task RunAsync(TokenDirectory tokens, ConnectionIdentity identity, string connectionId,
        EdgeGatewayOptions options, TimeProvider time, ILogger logger, Action onCredentialsRevoked, CancellationToken cancellationToken,
        Func<Task>? credentialsChanged = null)
    {
        var interval = options.EffectiveSubscriptionRenewalInterval;
        // Taken before each check, so that a notice arriving during a check is not missed.
        var changed = credentialsChanged?.Invoke();
        while (true)
        {
            try
            {
                var delay = Task.Delay(interval, time, cancellationToken);
                if (changed is not null && await Task.WhenAny(delay, changed).ConfigureAwait(false) == changed)
                {
                    changed = credentialsChanged!.Invoke();
                    tokens.Forget(identity.Token);
                }
                else
                {
                    await delay.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!await TokenStillValidAsync(tokens, identity, connectionId, logger, cancellationToken).ConfigureAwait(false))
            {
                if (cancellationToken.IsCancellationRequested) return;
                EdgeGatewayLog.CredentialsRevoked(logger, connectionId, identity.TenantId);
                onCredentialsRevoked();
                return;
            }
        }
    }

    private static async Task<bool> TokenStillValidAsync(TokenDirectory tokens, ConnectionIdentity identity, string connectionId,
        ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var tenantId = await tokens.FindTenantAsync(identity.Token, cancellationToken).ConfigureAwait(false);
            return string.Equals(tenantId, identity.TenantId, StringComparison.Ordinal);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.TokenRecheckFailed(logger, ex, connectionId, identity.TenantId);
            return true;
        }
    }
}
