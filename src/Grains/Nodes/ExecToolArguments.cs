using System.Text.Json;

namespace OpenClaw.Grains.Agent;

/// <summary>The validated, bounded arguments of one <c>exec</c> call.</summary>
internal sealed record ExecToolArguments
{
    public const int MaxCommandChars = 32_768;
    public const int MaxWorkdirChars = 4096;
    public const int MaxEnvEntries = 64;
    public const int MaxEnvKeyChars = 256;
    public const int MaxEnvValueChars = 8192;

    public required string Command { get; init; }
    public string? Title { get; init; }
    public string? Workdir { get; init; }
    public IReadOnlyDictionary<string, string>? Env { get; init; }
    public double? TimeoutSeconds { get; init; }
    public string Host { get; init; } = "auto";
    public string? Ask { get; init; }
    public string? Node { get; init; }

    public static ExecToolArguments Parse(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            throw new AgentToolException("exec arguments must be an object", "INVALID_ARGUMENTS");
        }

        var command = String(arguments, "command", MaxCommandChars) ?? throw new AgentToolException("exec needs a command", "INVALID_ARGUMENTS");
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new AgentToolException("exec needs a non-empty command", "INVALID_ARGUMENTS");
        }

        var workdir = String(arguments, "workdir", MaxWorkdirChars);
        if (workdir is not null && workdir.Length > 0 && string.IsNullOrWhiteSpace(workdir))
        {
            throw new AgentToolException("workdir must not be whitespace only", "INVALID_ARGUMENTS");
        }

        double? timeout = null;
        if (arguments.TryGetProperty("timeoutSeconds", out var timeoutElement) && timeoutElement.ValueKind != JsonValueKind.Null)
        {
            if (timeoutElement.ValueKind != JsonValueKind.Number || !timeoutElement.TryGetDouble(out var seconds) || seconds < 0 || double.IsNaN(seconds))
            {
                throw new AgentToolException("timeoutSeconds must be a number >= 0", "INVALID_ARGUMENTS");
            }

            timeout = seconds;
        }

        var host = String(arguments, "host", 32) ?? "auto";
        if (host is not ("auto" or "sandbox" or "gateway" or "node"))
        {
            throw new AgentToolException($"host must be one of auto, sandbox, gateway, node (got \"{host}\")", "INVALID_ARGUMENTS");
        }

        return new ExecToolArguments
        {
            Command = command,
            Title = String(arguments, "title", 120),
            Workdir = string.IsNullOrEmpty(workdir) ? null : workdir,
            Env = ParseEnv(arguments),
            TimeoutSeconds = timeout,
            Host = host,
            Ask = String(arguments, "ask", 32),
            Node = String(arguments, "node", 256),
        };
    }

    private static Dictionary<string, string>? ParseEnv(JsonElement arguments)
    {
        if (!arguments.TryGetProperty("env", out var env) || env.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (env.ValueKind != JsonValueKind.Object)
        {
            throw new AgentToolException("env must be an object of strings", "INVALID_ARGUMENTS");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in env.EnumerateObject())
        {
            if (result.Count >= MaxEnvEntries)
            {
                throw new AgentToolException($"env must have at most {MaxEnvEntries} entries", "INVALID_ARGUMENTS");
            }

            if (property.Value.ValueKind != JsonValueKind.String || property.Name.Length is 0 or > MaxEnvKeyChars
                || property.Value.GetString()!.Length > MaxEnvValueChars)
            {
                throw new AgentToolException($"env entry \"{Short(property.Name)}\" must be a string of at most {MaxEnvValueChars} chars with a 1-{MaxEnvKeyChars} char name", "INVALID_ARGUMENTS");
            }

            result[property.Name] = property.Value.GetString()!;
        }

        return result;
    }

    private static string? String(JsonElement arguments, string name, int maxLength)
    {
        if (!arguments.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new AgentToolException($"{name} must be a string", "INVALID_ARGUMENTS");
        }

        var text = value.GetString()!;
        return text.Length <= maxLength ? text : throw new AgentToolException($"{name} must be at most {maxLength} characters", "INVALID_ARGUMENTS");
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
