using System.Text.Json.Nodes;

namespace OpenClaw.EdgeGateway.Tests.Infrastructure;

/// <summary>Connect params shaped like the official CLI's (reference transcript, conn 1).</summary>
internal static class ConnectRequests
{
    public static JsonObject Params(string? token, IReadOnlyList<string>? scopes = null, int minProtocol = 4, int maxProtocol = 4)
    {
        var auth = new JsonObject();
        if (token is not null) auth["token"] = token;
        return new JsonObject
        {
            ["minProtocol"] = minProtocol,
            ["maxProtocol"] = maxProtocol,
            ["client"] = new JsonObject
            {
                ["id"] = "cli",
                ["version"] = "2026.9.6",
                ["platform"] = "linux",
                ["deviceFamily"] = "Linux",
                ["mode"] = "cli",
                ["instanceId"] = Guid.NewGuid().ToString(),
            },
            ["caps"] = new JsonArray(),
            ["auth"] = auth,
            ["role"] = "operator",
            ["scopes"] = new JsonArray((scopes ?? ["operator.read"]).Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        };
    }
}
