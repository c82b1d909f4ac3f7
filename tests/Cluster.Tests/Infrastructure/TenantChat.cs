using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>Protocol calls on a tenant's grain, as the edge makes them: a chat turn and its history.</summary>
internal static class TenantChat
{
    public const string Session = "agent:main:main";

    private static readonly string[] Scopes = [GatewayMethodCatalog.ScopeRead, GatewayMethodCatalog.ScopeWrite];

    public static GatewayCall Call(string method, object parameters, string connection = "cluster-test") => new()
    {
        Method = method,
        ParamsJson = JsonSerializer.Serialize(parameters),
        ConnectionId = connection,
        RequestId = Guid.NewGuid().ToString("N"),
        Scopes = Scopes,
    };

    /// <summary>
    /// <c>chat.send</c> (again with the same idempotency key while the answer is a retryable
    /// UNAVAILABLE, as a client does), then <c>agent.wait</c> until the run ended well (the reply is
    /// persisted). Returns how many <c>chat.send</c> answers asked to retry.
    /// </summary>
    public static async Task<int> SendAndWaitAsync(IUserGrain tenant, string message)
    {
        var idempotencyKey = Guid.NewGuid().ToString("N");
        var until = DateTime.UtcNow + ClusterTestTimeouts.ChatTurn;
        var retries = 0;
        GatewayReply sent;
        while (true)
        {
            sent = await tenant.Invoke(Call("chat.send", new { sessionKey = Session, message, idempotencyKey }));
            if (sent.Ok || sent.Error?.Retryable != true || DateTime.UtcNow > until) break;
            retries++;
            await Task.Delay(TimeSpan.FromMilliseconds(sent.Error.RetryAfterMs ?? 1000));
        }
        var runId = Ok(sent, "chat.send").GetProperty("runId").GetString()!;
        while (true)
        {
            var wait = Ok(await tenant.InvokeInterleaved(Call("agent.wait", new { runId, timeoutMs = 10_000 })), "agent.wait");
            var status = wait.GetProperty("status").GetString();
            if (status == "ok") return retries;
            if (status != "timeout") throw new Xunit.Sdk.XunitException($"run {runId} ended with {wait}");
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"run {runId} did not end within {ClusterTestTimeouts.ChatTurn.TotalSeconds:0} s");
        }
    }

    /// <summary>The session's messages as (role, text).</summary>
    public static async Task<IReadOnlyList<(string Role, string Text)>> HistoryAsync(IUserGrain tenant)
    {
        var history = Ok(await tenant.Invoke(Call("chat.history", new { sessionKey = Session })), "chat.history");
        return [.. history.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, Text(m.GetProperty("content"))))];
    }

    private static string Text(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(c => c.TryGetProperty("text", out var text) ? text.GetString() : ""));

    private static JsonElement Ok(GatewayReply reply, string method)
    {
        // Not an assertion failure: Eventually retries it (e.g. UNAVAILABLE while a tenant moves).
        if (!reply.Ok) throw new InvalidOperationException($"{method} failed: {reply.Error?.Code} {reply.Error?.Message}");
        return JsonDocument.Parse(reply.PayloadJson ?? "{}").RootElement.Clone();
    }
}
