namespace OpenClaw.Grains.Gateway;

/// <summary>Names of the events the UserGrain emits.</summary>
internal static class TenantEventNames
{
    public const string Chat = "chat";
    public const string Agent = "agent";
    public const string SessionsChanged = "sessions.changed";
    public const string SessionMessage = "session.message";
    public const string SessionTool = "session.tool";
}
