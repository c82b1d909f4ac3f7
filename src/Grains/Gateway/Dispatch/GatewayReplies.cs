using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>The protocol's standard replies and errors, worded as the reference gateway words them.</summary>
internal static class GatewayReplies
{
    public static GatewayReply UnknownMethod(string method) =>
        GatewayReply.Failure(GatewayError.InvalidRequest($"unknown method: {method}"));

    public static GatewayReply InvalidParams(string method, string detail) =>
        GatewayReply.Failure(GatewayError.InvalidRequest($"invalid {method} params: {detail}"));

    public static GatewayReply MissingScope(string scope) => GatewayReply.Failure(new GatewayError
    {
        Code = GatewayErrorCodes.Forbidden,
        Message = $"missing scope: {scope}",
        DetailsJson = JsonPayload.Object(writer =>
        {
            writer.WriteString("code", "MISSING_SCOPE");
            writer.WriteString("missingScope", scope);
            writer.WriteStringArray("requiredScopes", [scope]);
        }),
    });

    public static GatewayReply NodeRoleRequired(string method) => GatewayReply.Failure(new GatewayError
    {
        Code = GatewayErrorCodes.Forbidden,
        Message = $"{method} is only for node connections (role \"node\")",
    });

    public static GatewayReply Unavailable(string message, bool retryable = false, int? retryAfterMs = null) =>
        GatewayReply.Failure(GatewayError.Unavailable(message) with
        {
            Retryable = retryable ? true : null,
            RetryAfterMs = retryAfterMs,
        });
}
