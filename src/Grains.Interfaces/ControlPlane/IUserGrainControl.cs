using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// Control-plane notices to a tenant's <see cref="IUserGrain"/> (same grain, same key). Callers send
/// them only to tenants that are active now (see <c>IGrainActivationLookup</c>): a dormant tenant reads
/// its current record when it next activates.
/// </summary>
public interface IUserGrainControl : IGrainWithStringKey
{
    /// <summary>
    /// The tenant's record, config, status or tokens changed in the registry: reload the record (a
    /// new model or provider applies to the next run, without the clients reconnecting) and tell the
    /// edges with sockets of this tenant to re-check those sockets' tokens now
    /// (<see cref="TenantControlEvents.CredentialsChanged"/>), which closes the ones no longer valid with 4001.
    /// </summary>
    Task TenantChanged(CancellationToken cancellationToken = default);
}

/// <summary>Internal tenant events of the control plane; edges act on them and never forward them to clients.</summary>
public static class TenantControlEvents
{
    /// <summary>The tenant's tokens or status may have changed: re-check every socket's token now (bypassing the token cache).</summary>
    public const string CredentialsChanged = "openclaw.internal.credentials-changed";
}
