using System.Globalization;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>Durations as OpenClaw's config writes them: <c>"30m"</c>, <c>"1h30m"</c>, <c>"90s"</c>, <c>"500ms"</c>, <c>"2d"</c>, <c>"0m"</c>.</summary>
internal static class DurationText
{
    public const int MaxLength = 32;

    private static readonly TimeSpan Max = TimeSpan.FromDays(366);

    /// <summary>The duration, or null when <paramref name="text"/> is not one.</summary>
    public static TimeSpan? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        var span = text.Trim().ToLowerInvariant().AsSpan();
        while (span.Length > 0)
        {
            var digits = 0;
            while (digits < span.Length && char.IsAsciiDigit(span[digits]))
            {
                digits++;
            }

            if (digits is 0 or > 9 || !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            span = span[digits..];
            TimeSpan unit;
            if (span.StartsWith("ms"))
            {
                unit = TimeSpan.FromMilliseconds(1);
                span = span[2..];
            }
            else if (span.Length > 0 && span[0] is 's' or 'm' or 'h' or 'd')
            {
                unit = span[0] switch
                {
                    's' => TimeSpan.FromSeconds(1),
                    'm' => TimeSpan.FromMinutes(1),
                    'h' => TimeSpan.FromHours(1),
                    _ => TimeSpan.FromDays(1),
                };
                span = span[1..];
            }
            else
            {
                return null;
            }

            if (unit.TotalMilliseconds * value > Max.TotalMilliseconds - total.TotalMilliseconds)
            {
                return null;
            }

            total += unit * value;
        }

        return total;
    }
}
