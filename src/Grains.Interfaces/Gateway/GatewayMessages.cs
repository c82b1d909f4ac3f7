using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// A protocol request forwarded by the edge. <see cref="ParamsJson"/> is the request's raw
/// <c>params</c> JSON (null when absent); the grain validates it.
/// </summary>
[Immutable]
public sealed record GatewayCall
{
    public required string Method { get; init; }
    public string? ParamsJson { get; init; }

    /// <summary>The request id, for logs; responses are matched by the edge.</summary>
    public string? RequestId { get; init; }

    public required string ConnectionId { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public string? ClientId { get; init; }
    public string? ClientMode { get; init; }

    /// <summary>The connection's role: <c>operator</c> (default) or <c>node</c> (a tenant's paired machine).</summary>
    public string Role { get; init; } = GatewayRoles.Operator;

    /// <summary>The connection's <c>connect.params.caps</c> (for example <c>tool-events</c>).</summary>
    public IReadOnlyList<string> Caps { get; init; } = [];
}

public static class GatewayRoles
{
    public const string Operator = "operator";
    public const string Node = "node";
}

/// <summary>
/// The answer to a <see cref="GatewayCall"/>: the <c>payload</c> JSON (written verbatim into the
/// response frame) or an error. <see cref="FinalPending"/> means a second, final response will
/// follow for the same request id (the <c>agent</c> method): the edge asks for it with
/// <c>agent.wait</c> semantics through <see cref="IUserGrain.InvokeInterleaved"/>.
/// </summary>
[Immutable]
public sealed record GatewayReply
{
    public bool Ok { get; init; }
    public string? PayloadJson { get; init; }
    public GatewayError? Error { get; init; }
    public bool FinalPending { get; init; }
    public string? RunId { get; init; }

    public static GatewayReply Success(string payloadJson) => new() { Ok = true, PayloadJson = payloadJson };

    public static GatewayReply Failure(GatewayError error, string? payloadJson = null) =>
        new() { Ok = false, Error = error, PayloadJson = payloadJson };
}

/// <summary>The protocol's ErrorShape: <c>{code, message, details?, retryable?, retryAfterMs?}</c>.</summary>
[Immutable]
public sealed record GatewayError
{
    public required string Code { get; init; }
    public required string Message { get; init; }
    public string? DetailsJson { get; init; }
    public bool? Retryable { get; init; }
    public int? RetryAfterMs { get; init; }

    public static GatewayError InvalidRequest(string message, string? detailsJson = null) =>
        new() { Code = GatewayErrorCodes.InvalidRequest, Message = message, DetailsJson = detailsJson };

    public static GatewayError Unavailable(string message, string? detailsJson = null) =>
        new() { Code = GatewayErrorCodes.Unavailable, Message = message, DetailsJson = detailsJson };
}

public static class GatewayErrorCodes
{
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string Forbidden = "FORBIDDEN";
    public const string NotPaired = "NOT_PAIRED";
    public const string Unavailable = "UNAVAILABLE";
    public const string ApprovalNotFound = "APPROVAL_NOT_FOUND";
}

/// <summary>
/// A protocol event for the tenant's connections: <c>{type:"event", event, payload}</c>; the edge adds
/// <c>seq</c>. It crosses the network once per edge subscribed to the tenant; the edge fans it out to
/// the tenant's sockets there.
/// </summary>
[Immutable]
public sealed record TenantEvent(string Event, string PayloadJson)
{
    /// <summary>
    /// The connection ids that get this event (<c>sessions.changed</c> and <c>session.message</c> go
    /// only to connections that called <c>sessions.subscribe</c>); null means every connection.
    /// </summary>
    public IReadOnlyList<string>? Audience { get; init; }

    /// <summary>Only connections granted this operator scope get the event (null: no scope needed). Checked by the edge with <see cref="GatewayMethodCatalog.HasScope"/>.</summary>
    public string? RequiredScope { get; init; }

    /// <summary>Only connections that sent at least one of these <c>caps</c> get the event (null: no cap needed).</summary>
    public IReadOnlyList<string>? RequiredAnyCap { get; init; }

    /// <summary>Connections that sent one of these <c>caps</c> do NOT get the event (null: nobody excluded).</summary>
    public IReadOnlyList<string>? ExcludedCaps { get; init; }
}
