using System.Text.Json;

namespace OpenClaw.Grains.Gateway;

/// <summary>The <c>defaults</c> object of <c>sessions.list</c> and <c>chat.history</c>, and the agent-runtime and thinking-level fields.</summary>
internal static class ModelDefaultsWriter
{
    public static void WriteDefaults(Utf8JsonWriter writer, GatewayContext context)
    {
        var config = context.Config;
        writer.WriteStartObject("defaults");
        writer.WriteString("modelProvider", config.Provider);
        writer.WriteString("model", config.Model);
        writer.WriteNumber("contextTokens", context.Options.ContextTokens);
        WriteAgentRuntime(writer);
        WriteThinking(writer);
        writer.WriteString("modelSelectionTarget", "session");
        writer.WriteEndObject();
    }

    /// <summary>Runs execute in the tenant's grain: no cloud or device placement.</summary>
    public static void WriteAgentRuntime(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("agentRuntime");
        writer.WriteString("id", "auto");
        writer.WriteBoolean("cloudPlacementSupported", false);
        writer.WriteBoolean("devicePlacementSupported", false);
        writer.WriteString("source", "implicit");
        writer.WriteEndObject();
    }

    /// <summary>This gateway has no thinking levels: only <c>off</c>.</summary>
    public static void WriteThinking(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("thinkingLevels");
        writer.WriteStartObject();
        writer.WriteString("id", "off");
        writer.WriteString("label", "off");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStringArray("thinkingOptions", ["off"]);
        writer.WriteString("thinkingDefault", "off");
    }
}
