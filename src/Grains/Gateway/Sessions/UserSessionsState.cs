namespace OpenClaw.Grains.Gateway;

/// <summary>The tenant's sessions, persisted as the UserGrain's <c>sessions</c> state.</summary>
public sealed class UserSessionsState
{
    /// <summary>Sessions by canonical key.</summary>
    public Dictionary<string, SessionRecord> Sessions { get; set; } = new(StringComparer.Ordinal);
}
