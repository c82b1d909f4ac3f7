using System.Globalization;

namespace OpenClaw.Cli;

/// <summary>Durations on the command line: <c>90</c> (seconds), <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1d</c>.</summary>
public static class Duration
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 20) return false;
        text = text.Trim();
        var unit = char.ToLowerInvariant(text[^1]);
        var seconds = unit switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L };
        var number = seconds == 0 ? text : text[..^1];
        if (seconds == 0) seconds = 1;
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > 10L * 366 * 86400 / seconds) return false;
        value = TimeSpan.FromSeconds(count * seconds);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalDays >= 1 ? $"{(int)value.TotalDays}d{value.Hours}h"
        : value.TotalHours >= 1 ? $"{(int)value.TotalHours}h{value.Minutes}m"
        : value.TotalMinutes >= 1 ? $"{(int)value.TotalMinutes}m{value.Seconds}s"
        : $"{value.Seconds}s";
}
