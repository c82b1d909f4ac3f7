namespace OpenClaw.Grains.Agent.Policy;

/// <summary>Matches a tool name against policy entries: exact names, <c>*</c> wildcards and <c>group:…</c>, case-insensitively.</summary>
internal static class ToolPattern
{
    public static bool MatchesAny(IEnumerable<string> patterns, string toolName) =>
        patterns.Any(pattern => Matches(pattern.Trim(), toolName));

    public static bool Matches(string pattern, string toolName)
    {
        if (pattern.StartsWith("group:", StringComparison.OrdinalIgnoreCase))
        {
            return ToolGroups.Groups.TryGetValue(pattern, out var members)
                && members.Contains(toolName, StringComparer.OrdinalIgnoreCase);
        }

        return Glob(pattern.AsSpan(), toolName.AsSpan());
    }

    /// <summary>Glob with <c>*</c> only; iterative with one backtrack point, so no pattern can make it slow.</summary>
    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
