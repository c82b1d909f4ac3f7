using System.Text.Json;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// Applies the <c>heartbeat</c> key of a <c>config.patch</c> (a merge patch: null resets a field or, for
/// the whole key, the heartbeat config). Strict, as OpenClaw's config is: unknown keys are refused.
/// </summary>
internal static class HeartbeatPatch
{
    public static readonly IReadOnlyList<string> Keys = ["enabled", "every", "prompt", "lightContext"];

    public static HeartbeatConfig? Apply(HeartbeatConfig? current, JsonElement patch, CronOptions options)
    {
        if (patch.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayParamsException("'raw.heartbeat' must be an object or null");
        }

        var updated = current?.Copy() ?? new HeartbeatConfig();
        foreach (var property in patch.EnumerateObject())
        {
            var value = property.Value;
            var isNull = value.ValueKind == JsonValueKind.Null;
            switch (property.Name)
            {
                case "enabled":
                    updated.Enabled = isNull ? null : Boolean(property.Name, value);
                    break;
                case "lightContext":
                    updated.LightContext = isNull ? null : Boolean(property.Name, value);
                    break;
                case "every":
                    updated.Every = isNull ? null : Every(String(property.Name, value, DurationText.MaxLength), options);
                    break;
                case "prompt":
                    updated.Prompt = isNull ? null : String(property.Name, value, options.MaxTextChars);
                    break;
                default:
                    throw new GatewayParamsException(
                        $"unknown config key 'raw.heartbeat.{property.Name}' (known: {string.Join(", ", Keys)})");
            }
        }

        return updated;
    }

    /// <summary>The cadence of <paramref name="config"/>: null when heartbeats are off.</summary>
    public static TimeSpan? Cadence(HeartbeatConfig? config, CronOptions options)
    {
        if (config?.Enabled != true)
        {
            return null;
        }

        var every = config.Every is { } text ? DurationText.TryParse(text) : options.DefaultHeartbeatEvery;
        return every is { } cadence && cadence > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Max(cadence.Ticks, options.MinHeartbeatInterval.Ticks)) : null;
    }

    private static string Every(string text, CronOptions options)
    {
        var every = DurationText.TryParse(text)
            ?? throw new GatewayParamsException($"'raw.heartbeat.every' must be a duration such as \"30m\" or \"1h\" (at most 366 days), not \"{text}\"");
        if (every > TimeSpan.Zero && every < options.MinHeartbeatInterval)
        {
            throw new GatewayParamsException(
                $"'raw.heartbeat.every' must be at least {CronText.Duration(options.MinHeartbeatInterval)} (or \"0m\" to turn the cadence off)");
        }

        return text.Trim();
    }

    private static bool Boolean(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new GatewayParamsException($"'raw.heartbeat.{name}' must be a boolean or null"),
    };

    private static string String(string name, JsonElement value, int maxLength)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new GatewayParamsException($"'raw.heartbeat.{name}' must be a string or null");
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new GatewayParamsException($"'raw.heartbeat.{name}' must NOT be empty (use null to go back to the default)");
        }

        return text.Length <= maxLength
            ? text
            : throw new GatewayParamsException($"'raw.heartbeat.{name}' must NOT have more than {maxLength} characters");
    }
}
