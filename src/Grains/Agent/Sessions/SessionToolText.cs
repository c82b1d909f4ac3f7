using System.Text.Json;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Sessions;

/// <summary>What the session tools share: finding a session of the tenant by key, and writing messages with their text capped.</summary>
internal static class SessionToolText
{
    /// <summary>The tenant's session for <paramref name="text"/>; anything else (a malformed key, another tenant's, none) is "not found".</summary>
    public static (SessionKey Key, SessionRecord Session) Find(GatewayContext context, string text)
    {
        var key = SessionKey.TryParse(text, out _);
        if (key is { } parsed && context.Sessions.Find(parsed) is { } session)
        {
            return (parsed, session);
        }

        throw new AgentToolException($"session not found: {Workspace.WorkspacePaths.Printable(text.Trim())}", "SESSION_NOT_FOUND");
    }

    public static void WriteMessages(Utf8JsonWriter writer, string name, IEnumerable<TranscriptMessage> messages)
    {
        writer.WriteStartArray(name);
        foreach (var message in messages)
        {
            TranscriptMessageWriter.Write(writer, message.Text.Length > SessionToolLimits.MaxMessageTextChars
                ? message with { Text = message.Text[..SessionToolLimits.MaxMessageTextChars] + "…(truncated)" }
                : message);
        }

        writer.WriteEndArray();
    }

    public static AgentToolException Invalid(string tool, GatewayParamsException exception) =>
        new($"invalid {tool} arguments: {exception.Message}");
}
