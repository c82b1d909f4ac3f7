using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains;

/// <summary>The UserGrain's side of the control plane: notices from the config sync (see <see cref="IUserGrainControl"/>).</summary>
public sealed partial class UserGrain : IUserGrainControl
{
    public async Task TenantChanged(CancellationToken cancellationToken)
    {
        // The config is read from the record at the start of each run, so the next run uses it.
        await LoadTenantAsync(cancellationToken);
        UserGrainControlLog.TenantReloaded(_logger, _context.TenantId, _context.Tenant is not null);

        // Revoked tokens and suspensions are not visible here (tokens live with the registry):
        // every edge with sockets of this tenant re-checks their tokens now, bypassing its cache.
        _connections.Publish(new TenantEvent(TenantControlEvents.CredentialsChanged, "{}"));
    }
}

internal static partial class UserGrainControlLog
{
    [LoggerMessage(EventId = 3090, Level = LogLevel.Information, Message = "Tenant {TenantId} reloaded after a control-plane change (available: {Available})")]
    public static partial void TenantReloaded(ILogger logger, string tenantId, bool available);
}
