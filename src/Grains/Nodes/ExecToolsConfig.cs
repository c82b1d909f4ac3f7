using System.Text.Json;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's <c>tools.exec</c> settings in <c>config.patch</c> / <c>config.get</c>:
/// <c>{"tools":{"exec":{"ask":"off"|"on-miss"|"always"|null, "node":"&lt;node id&gt;"|null}}}</c>.
/// A null goes back to the default (ask off, the sole connected node). Unknown keys are refused.
/// </summary>
internal static class ExecToolsConfig
{
    public const string PatchKey = "tools";
    public const string AskOff = "off";
    public const string AskOnMiss = "on-miss";
    public const string AskAlways = "always";
    public const int MaxNodeIdChars = 256;

    public static readonly IReadOnlyList<string> AskValues = [AskOff, AskOnMiss, AskAlways];

    /// <summary>
    /// Applies <c>raw.tools</c>. With <paramref name="otherSectionsAllowed"/> only <c>exec</c> is read
    /// and other members are left to another handler (the tool policy's <c>profile/allow/deny</c>);
    /// <c>tools: null</c> resets exec too.
    /// </summary>
    public static void Apply(TenantConfigOverrides updated, JsonElement tools, bool otherSectionsAllowed = false)
    {
        if (tools.ValueKind == JsonValueKind.Null && otherSectionsAllowed)
        {
            updated.ExecAsk = null;
            updated.ExecNode = null;
            return;
        }

        if (tools.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayParamsException("'raw.tools' must be an object");
        }

        foreach (var section in tools.EnumerateObject())
        {
            if (section.Name != "exec" && otherSectionsAllowed)
            {
                continue;
            }

            if (section.Name != "exec")
            {
                throw new GatewayParamsException($"unknown config key 'raw.tools.{section.Name}' (known: exec)");
            }

            if (section.Value.ValueKind == JsonValueKind.Null)
            {
                updated.ExecAsk = null;
                updated.ExecNode = null;
                continue;
            }

            if (section.Value.ValueKind != JsonValueKind.Object)
            {
                throw new GatewayParamsException("'raw.tools.exec' must be an object or null");
            }

            foreach (var property in section.Value.EnumerateObject())
            {
                var value = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => property.Value.GetString()!.Trim(),
                    _ => throw new GatewayParamsException($"'raw.tools.exec.{property.Name}' must be a string or null"),
                };
                switch (property.Name)
                {
                    case "ask":
                        if (value is not null && !AskValues.Contains(value))
                        {
                            throw new GatewayParamsException($"'raw.tools.exec.ask' must be one of {string.Join(", ", AskValues)}");
                        }

                        updated.ExecAsk = value;
                        break;
                    case "node":
                        if (value is { Length: 0 or > MaxNodeIdChars })
                        {
                            throw new GatewayParamsException($"'raw.tools.exec.node' must be 1 to {MaxNodeIdChars} characters (use null for the sole connected node)");
                        }

                        updated.ExecNode = value;
                        break;
                    default:
                        throw new GatewayParamsException($"unknown config key 'raw.tools.exec.{property.Name}' (known: ask, node)");
                }
            }
        }
    }

    /// <summary>Writes <c>exec:{host, ask, node}</c> into the open <c>tools</c> object of the redacted config.</summary>
    public static void WriteMember(Utf8JsonWriter writer, EffectiveTenantConfig config)
    {
        writer.WriteStartObject("exec");
        writer.WriteString("host", "node");
        writer.WriteString("ask", config.ExecAsk);
        writer.WriteStringOrNull("node", config.ExecNode);
        writer.WriteEndObject();
    }
}
