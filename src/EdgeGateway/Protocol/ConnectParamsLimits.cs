namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// Upper bounds on what a client declares in <c>connect</c>. Everything here is kept for the life of
/// the socket, copied into every forwarded call and reported to the tenant grain (which lists nodes
/// from it), so a client must not be able to make it large. The official node host declares about
/// 20 commands and 5 caps; the limits leave ample room for plugin commands.
/// </summary>
internal static class ConnectParamsLimits
{
    public const int MaxScopes = 32;
    public const int MaxCaps = 64;
    public const int MaxCommands = 512;
    public const int MaxPermissions = 256;

    /// <summary>One scope, cap, command or permission name.</summary>
    public const int MaxNameChars = 200;

    /// <summary>Each <c>client</c> field (id, displayName, version, platform, deviceFamily, mode, instanceId).</summary>
    public const int MaxClientFieldChars = 256;

    public const int MaxPathEnvChars = 8192;
}
