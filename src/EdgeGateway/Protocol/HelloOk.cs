using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// The hello-ok payload (<c>HelloOkSchema</c>, PROTOCOL.md §2.3) with every required field:
/// <c>type, protocol, server, features, snapshot, auth, policy</c>. The snapshot is minimal: the
/// edge holds no presence or health state (the tenant grain answers <c>health</c>).
/// </summary>
internal static class HelloOk
{
    public static string Write(
        string connectionId,
        string serverVersion,
        string role,
        IReadOnlyList<string> scopes,
        long uptimeMs,
        int maxPayloadBytes,
        long maxBufferedBytes,
        int tickIntervalMs) => ProtocolJson.ToText(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", ProtocolConstants.HelloOkType);
        w.WriteNumber("protocol", ProtocolConstants.ProtocolVersion);

        w.WriteStartObject("server");
        w.WriteString("version", serverVersion);
        w.WriteString("connId", connectionId);
        w.WriteEndObject();

        w.WriteStartObject("features");
        w.WriteStartArray("methods");
        foreach (var method in GatewayMethodCatalog.Methods.Keys) w.WriteStringValue(method);
        w.WriteEndArray();
        w.WriteStartArray("events");
        foreach (var name in GatewayMethodCatalog.Events) w.WriteStringValue(name);
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("snapshot");
        w.WriteStartArray("presence");
        w.WriteEndArray();
        w.WriteStartObject("health");
        w.WriteEndObject();
        w.WriteStartObject("stateVersion");
        w.WriteNumber("presence", 0);
        w.WriteNumber("health", 0);
        w.WriteEndObject();
        w.WriteNumber("uptimeMs", uptimeMs);
        w.WriteStartObject("sessionDefaults");
        w.WriteString("defaultAgentId", ProtocolConstants.DefaultAgentId);
        w.WriteString("mainKey", ProtocolConstants.MainKey);
        w.WriteString("mainSessionKey", ProtocolConstants.MainSessionKey);
        w.WriteString("scope", ProtocolConstants.SessionScope);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("auth");
        w.WriteString("method", ProtocolConstants.AuthMethodToken);
        w.WriteString("role", role);
        w.WriteStartArray("scopes");
        foreach (var scope in scopes) w.WriteStringValue(scope);
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("policy");
        w.WriteNumber("maxPayload", maxPayloadBytes);
        w.WriteNumber("maxBufferedBytes", maxBufferedBytes);
        w.WriteNumber("tickIntervalMs", tickIntervalMs);
        w.WriteEndObject();

        w.WriteEndObject();
    });
}
