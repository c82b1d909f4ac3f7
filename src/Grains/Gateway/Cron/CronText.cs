using System.Globalization;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>Small text helpers of the cron messages.</summary>
internal static class CronText
{
    /// <summary>A duration for messages: <c>5 min</c>, <c>30 s</c>, <c>2 h</c>.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes.ToString(CultureInfo.InvariantCulture)} min"
        : $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/> (null stays null).</summary>
    public static string? Clip(string? text, int max) =>
        text is null || text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)] + "…";

    /// <summary>A duration as config writes it: <c>30m</c>, <c>1h</c>, <c>90s</c>.</summary>
    public static string DurationText(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m"
        : $"{Math.Floor(span.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s";
}
