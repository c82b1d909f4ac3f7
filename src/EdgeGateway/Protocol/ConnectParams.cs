namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>The <c>client</c> object of <c>connect</c>.</summary>
internal sealed record ConnectClient(
    string Id,
    string? DisplayName,
    string Version,
    string Platform,
    string? DeviceFamily,
    string Mode,
    string? InstanceId);

/// <summary>The shared secrets a client may present; <see cref="ToString"/> never shows them.</summary>
internal sealed class ConnectAuth
{
    public string? Token { get; init; }
    public string? Password { get; init; }
    public string? DeviceToken { get; init; }
    public string? BootstrapToken { get; init; }

    /// <summary>Accepted for schema compatibility (<c>auth.approvalRuntimeToken</c>); the edge authenticates with the tenant token only.</summary>
    public string? ApprovalRuntimeToken { get; init; }

    /// <summary>Accepted for schema compatibility (<c>auth.agentRuntimeIdentityToken</c>); not used for authentication.</summary>
    public string? AgentRuntimeIdentityToken { get; init; }

    /// <summary>The tenant token: <c>auth.token</c>, else <c>auth.password</c> (PROTOCOL.md §3).</summary>
    public string? SharedSecret => !string.IsNullOrEmpty(Token) ? Token : !string.IsNullOrEmpty(Password) ? Password : null;

    /// <summary>The token the device signature covers: <c>auth.token ?? auth.deviceToken ?? auth.bootstrapToken ?? ""</c>.</summary>
    public string SignedToken => Token ?? DeviceToken ?? BootstrapToken ?? "";

    public override string ToString() => "ConnectAuth { redacted }";
}

/// <summary>The signed device identity of <c>connect</c> (PROTOCOL.md "Device proof").</summary>
internal sealed record ConnectDevice(string Id, string PublicKey, string Signature, long SignedAt, string? Nonce);

/// <summary>The validated <c>connect</c> params the edge uses.</summary>
internal sealed record ConnectParams(
    int MinProtocol,
    int MaxProtocol,
    ConnectClient Client,
    string Role,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Caps,
    ConnectAuth Auth,
    ConnectDevice? Device)
{
    /// <summary>Node connections: the invoke commands the node declares (<c>commands[]</c>).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>Node connections: <c>permissions{string: bool}</c>; null when absent.</summary>
    public IReadOnlyDictionary<string, bool>? Permissions { get; init; }

    /// <summary>Node connections: the host's <c>PATH</c> (<c>pathEnv</c>).</summary>
    public string? PathEnv { get; init; }
}
