using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// What the edge reads of <c>agent.wait</c> to honour a client <c>timeoutMs</c> longer than the
/// grain waits in one call: the timeout, the params re-sent with what is left of it, and whether
/// a reply is the grain's <c>status:"timeout"</c> (the run is still going).
/// </summary>
internal static class AgentWaitParams
{
    public const string Method = "agent.wait";

    /// <summary>
    /// Reads the client's <c>timeoutMs</c>; false when params or timeout are absent or unusable
    /// (the grain then answers the call as it is).
    /// </summary>
    public static bool TryRead(string? paramsJson, out long timeoutMs, out JsonObject? parameters)
    {
        timeoutMs = 0;
        parameters = null;
        if (paramsJson is null) return false;
        try
        {
            if (JsonNode.Parse(paramsJson, documentOptions: ProtocolJson.DocumentOptions) is not JsonObject node) return false;
            if (node["timeoutMs"] is not JsonValue value || !value.TryGetValue(out long ms) || ms < 0) return false;
            timeoutMs = ms;
            parameters = node;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The params with <c>timeoutMs</c> set to <paramref name="remainingMs"/>.</summary>
    public static string WithTimeout(JsonObject parameters, long remainingMs)
    {
        parameters["timeoutMs"] = remainingMs;
        return parameters.ToJsonString();
    }

    /// <summary>True when the grain answered that the run had not finished within its wait.</summary>
    public static bool IsStillRunning(GatewayReply reply)
    {
        if (!reply.Ok || reply.PayloadJson is null) return false;
        try
        {
            using var document = JsonDocument.Parse(reply.PayloadJson, ProtocolJson.DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var status)
                && status.ValueKind == JsonValueKind.String && status.ValueEquals("timeout");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
