namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Largest <c>params</c> the edge forwards per method; larger ones are answered
/// <c>INVALID_REQUEST "invalid &lt;method&gt; params: too large …"</c> without reaching the grain.
/// Methods whose params are a few keys get <see cref="SmallParamsBytes"/>; <c>chat.send</c> and
/// <c>agent</c> carry the message (<see cref="EdgeGatewayOptions.MaxMessageParamsBytes"/>); every
/// other method (<c>config.patch</c>, unknown ones) gets <see cref="EdgeGatewayOptions.MaxParamsBytes"/>.
/// </summary>
internal sealed class MethodParamsLimits(EdgeGatewayOptions options)
{
    /// <summary>Room for the few keys these methods take (ids, keys ≤ 512 characters, small numbers).</summary>
    public const int SmallParamsBytes = 8 * 1024;

    private static readonly HashSet<string> SmallMethods = new(StringComparer.Ordinal)
    {
        "health", "status", "sessions.list", "sessions.subscribe", "sessions.unsubscribe", "sessions.describe",
        "sessions.reset", "sessions.delete", "chat.history", "chat.abort", "agent.wait", "agents.list",
        "commands.list", "config.get", "question.list", "plugin.approval.list", "taskSuggestions.list",
    };

    private static readonly HashSet<string> MessageMethods = new(StringComparer.Ordinal) { "chat.send", "agent" };

    public int LimitFor(string method)
    {
        var limit = SmallMethods.Contains(method) ? SmallParamsBytes
            : MessageMethods.Contains(method) ? options.MaxMessageParamsBytes
            : options.MaxParamsBytes;
        return Math.Min(limit, options.MaxPayloadBytes);
    }
}
