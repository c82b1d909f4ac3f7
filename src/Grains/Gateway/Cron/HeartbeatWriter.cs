using System.Text.Json;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>The <c>heartbeat</c> key of <c>config.get</c>.</summary>
internal static class HeartbeatWriter
{
    public static void WriteConfig(Utf8JsonWriter writer, GatewayContext context)
    {
        var config = context.State.Profile.Config.Heartbeat;
        writer.WriteStartObject("heartbeat");
        writer.WriteBoolean("enabled", config?.Enabled == true);
        writer.WriteString("every", config?.Every ?? CronText.DurationText(context.Options.Cron.DefaultHeartbeatEvery));
        writer.WriteStringOrNull("prompt", config?.Prompt);
        writer.WriteBoolean("lightContext", config?.LightContext == true);
        writer.WriteEndObject();
    }

    public static bool SameConfig(HeartbeatConfig? a, HeartbeatConfig? b) =>
        a?.Enabled == b?.Enabled && a?.Every == b?.Every && a?.Prompt == b?.Prompt && a?.LightContext == b?.LightContext;
}
