using System.Text.Json;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>Reads a file tool's arguments; a missing or mistyped one is a clear <see cref="AgentToolException"/>.</summary>
internal static class FileToolArgs
{
    public static string RequiredString(JsonElement args, string name)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new AgentToolException($"'{name}' is required", "INVALID_ARGUMENTS");
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new AgentToolException($"'{name}' must be a string", "INVALID_ARGUMENTS");
    }

    public static string? OptionalString(JsonElement args, string name)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new AgentToolException($"'{name}' must be a string", "INVALID_ARGUMENTS");
    }

    /// <summary>An optional whole number in [<paramref name="min"/>, <paramref name="max"/>] (a number like 10.0 counts; strings of digits too, as models send them).</summary>
    public static int? OptionalInt(JsonElement args, string name, int min, int max)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        double number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            number = value.GetDouble();
        }
        else if (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            number = parsed;
        }
        else
        {
            throw new AgentToolException($"'{name}' must be a number", "INVALID_ARGUMENTS");
        }

        if (double.IsNaN(number) || number != Math.Floor(number) || number < min || number > max)
        {
            throw new AgentToolException($"'{name}' must be a whole number from {min} to {max}", "INVALID_ARGUMENTS");
        }

        return (int)number;
    }

    public static bool OptionalBool(JsonElement args, string name)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new AgentToolException($"'{name}' must be a boolean", "INVALID_ARGUMENTS"),
        };
    }
}
