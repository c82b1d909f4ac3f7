using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenClaw.Grains.Agent.Prompt;

/// <summary>
/// The size caps of injected bootstrap files (AGENT.md §1): each file at most
/// <see cref="MaxFileChars"/> (USER.md <see cref="MaxUserChars"/>), all together at most
/// <see cref="MaxTotalChars"/>; a file is skipped once less than <see cref="MinRemainingChars"/> of the
/// total is left. Text is trimmed at the end first. A file over its cap keeps 75 % head and 25 % tail;
/// AGENTS.md keeps 45 % head, 15 % tail and a digest (up to 35 %) of its policy lines from the cut middle.
/// </summary>
internal sealed partial class BootstrapBudget
{
    public const int MaxFileChars = 20_000;
    public const int MaxTotalChars = 60_000;
    public const int MaxUserChars = 4_000;
    public const int MinRemainingChars = 64;

    private int _remaining = MaxTotalChars;

    /// <summary>True once any file was cut or skipped (the prompt then carries the notice).</summary>
    public bool Truncated { get; private set; }

    /// <summary>The text to inject for <paramref name="name"/>, or null when the budget is spent.</summary>
    public string? Fit(string name, string content)
    {
        var text = content.TrimEnd();
        if (_remaining < MinRemainingChars)
        {
            Truncated = true;
            return null;
        }

        var cap = Math.Min(name == BootstrapFiles.User ? MaxUserChars : MaxFileChars, _remaining);
        if (text.Length <= cap)
        {
            _remaining -= text.Length;
            return text;
        }

        Truncated = true;
        _remaining -= cap;
        return name == BootstrapFiles.Agents ? TruncateAgents(name, text, cap) : Truncate(name, text, cap);
    }

    private static string Truncate(string name, string text, int cap)
    {
        var head = cap * 75 / 100;
        var tail = cap * 25 / 100;
        return string.Concat(
            text.AsSpan(0, head),
            Marker(name, head, tail, text.Length),
            text.AsSpan(text.Length - tail));
    }

    private static string TruncateAgents(string name, string text, int cap)
    {
        var head = cap * 45 / 100;
        var tail = cap * 15 / 100;
        var digestCap = cap * 35 / 100;
        var middle = text[head..(text.Length - tail)];
        var digest = new StringBuilder();
        foreach (var line in middle.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || !PolicyLine().IsMatch(trimmed))
            {
                continue;
            }

            if (digest.Length + trimmed.Length + 1 > digestCap)
            {
                break;
            }

            digest.Append(trimmed).Append('\n');
        }

        var result = new StringBuilder(cap + 256);
        result.Append(text, 0, head);
        if (digest.Length > 0)
        {
            result.Append("\n\n[Policy digest from AGENTS.md]\n").Append(digest);
        }

        result.Append(Marker(name, head, tail, text.Length));
        result.Append(text, text.Length - tail, tail);
        return result.ToString();
    }

    private static string Marker(string name, int head, int tail, int total) => string.Create(CultureInfo.InvariantCulture,
        $"\n[...truncated, read {name} for full content...]\n…(truncated {name}: kept {head}+{tail} chars of {total})…\n");

    [GeneratedRegex(@"\b(must|never|do not|don't|always|security|secret|secrets|credential|credentials|password|token|private|test|tests|commit|push|delete|approval|confirm)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PolicyLine();
}
