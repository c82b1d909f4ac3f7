using System.Text.Json;
using OpenClaw.Grains.Agent.Policy;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The <c>tools</c> key of <c>config.patch</c>: a JSON merge patch over <c>{profile, allow, deny}</c>
/// (a member set to null is unset; <c>tools: null</c> drops the tenant's policy), validated by
/// <see cref="ToolsConfigRules"/>. The plan's policy still applies on top (see <see cref="Agent.ToolPolicy"/>).
/// </summary>
internal static class ToolsConfigPatch
{
    public static ToolsConfig? Apply(ToolsConfig? current, JsonElement patch)
    {
        if (patch.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayParamsException("'raw.tools' must be an object {profile, allow, deny} or null");
        }

        var updated = new ToolsConfig
        {
            Profile = current?.Profile,
            Allow = current?.Allow is null ? null : [.. current.Allow],
            Deny = current?.Deny is null ? null : [.. current.Deny],
        };
        foreach (var property in patch.EnumerateObject())
        {
            switch (property.Name)
            {
                case "profile":
                    updated.Profile = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => property.Value.GetString()!.Trim().ToLowerInvariant(),
                        _ => throw new GatewayParamsException("'raw.tools.profile' must be a string or null"),
                    };
                    break;
                case "allow":
                    updated.Allow = List(property.Value, "allow");
                    break;
                case "deny":
                    updated.Deny = List(property.Value, "deny");
                    break;
                case "exec":
                    break; // ExecToolsConfig's
                default:
                    throw new GatewayParamsException($"unknown config key 'raw.tools.{property.Name}' (known: profile, allow, deny, exec)");
            }
        }

        if (ToolsConfigRules.Problem(updated, "raw.tools") is { } problem)
        {
            throw new GatewayParamsException(problem);
        }

        return updated.Profile is null && updated.Allow is null && updated.Deny is null ? null : updated;
    }

    /// <summary>Writes <c>profile</c>, <c>allow</c> and <c>deny</c> (null when unset) into the open <c>tools</c> object.</summary>
    public static void WriteMembers(Utf8JsonWriter writer, ToolsConfig? tools)
    {
        writer.WriteStringOrNull("profile", tools?.Profile);
        WriteList(writer, "allow", tools?.Allow);
        WriteList(writer, "deny", tools?.Deny);
    }

    public static bool Same(ToolsConfig? a, ToolsConfig? b) =>
        (a is null && b is null)
        || (a is not null && b is not null && a.Profile == b.Profile && SameList(a.Allow, b.Allow) && SameList(a.Deny, b.Deny));

    private static bool SameList(List<string>? a, List<string>? b) =>
        (a is null && b is null) || (a is not null && b is not null && a.SequenceEqual(b, StringComparer.Ordinal));

    private static void WriteList(Utf8JsonWriter writer, string name, List<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteStringArray(name, values);
        }
    }

    private static List<string>? List(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new GatewayParamsException($"'raw.tools.{name}' must be an array of strings or null");
        }

        if (value.GetArrayLength() > ToolsConfigRules.MaxEntries)
        {
            throw new GatewayParamsException($"'raw.tools.{name}' must NOT have more than {ToolsConfigRules.MaxEntries} items");
        }

        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new GatewayParamsException($"'raw.tools.{name}' must be an array of strings");
            }

            list.Add(item.GetString()!.Trim());
        }

        return list;
    }
}
