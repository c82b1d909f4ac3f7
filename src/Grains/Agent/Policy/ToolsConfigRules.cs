using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Agent.Policy;

/// <summary>What a tool policy may hold: a known profile, and bounded lists of plain entries.</summary>
internal static class ToolsConfigRules
{
    public const int MaxEntries = 64;
    public const int MaxEntryChars = 100;

    /// <summary>The problem with <paramref name="config"/> (prefixed with <paramref name="path"/>), or null when it is valid.</summary>
    public static string? Problem(ToolsConfig config, string path)
    {
        if (config.Profile is { } profile && !ToolGroups.ProfileNames.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            return $"'{path}.profile' must be one of {string.Join(", ", ToolGroups.ProfileNames)}";
        }

        return ListProblem(config.Allow, $"{path}.allow") ?? ListProblem(config.Deny, $"{path}.deny");
    }

    private static string? ListProblem(List<string>? entries, string path)
    {
        if (entries is null)
        {
            return null;
        }

        if (entries.Count > MaxEntries)
        {
            return $"'{path}' must NOT have more than {MaxEntries} items";
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (string.IsNullOrWhiteSpace(entry) || entry.Length > MaxEntryChars
                || !entry.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '*' or '.'))
            {
                return $"'{path}[{i}]' must be a tool name, a '*' pattern or a group:… name of at most {MaxEntryChars} characters";
            }
        }

        return null;
    }
}
