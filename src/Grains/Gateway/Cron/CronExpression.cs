using System.Globalization;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// A 5-field cron expression (<c>minute hour day-of-month month day-of-week</c>) with <c>*</c>,
/// lists, ranges, steps (<c>*/15</c>, <c>1-30/2</c>), month and weekday names, and 7 for Sunday.
/// As in classic cron, when both day fields are restricted a day matches if either one does.
/// <para>
/// Times are wall-clock times of a time zone. Across daylight-saving changes: a local time that does
/// not exist (the spring-forward gap) is skipped; a local time that happens twice (fall back) fires
/// once, at its first occurrence.
/// </para>
/// </summary>
internal sealed class CronExpression
{
    public const int MaxLength = 200;

    /// <summary>How far ahead an occurrence is searched (covers Feb 29 on a given weekday: at most 28 years apart).</summary>
    private const int MaxSearchDays = 366 * 29;

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _days;
    private readonly bool[] _months;
    private readonly bool[] _weekdays;
    private readonly bool _dayRestricted;
    private readonly bool _weekdayRestricted;

    private CronExpression(bool[] minutes, bool[] hours, bool[] days, bool[] months, bool[] weekdays, bool dayRestricted, bool weekdayRestricted)
    {
        _minutes = minutes;
        _hours = hours;
        _days = days;
        _months = months;
        _weekdays = weekdays;
        _dayRestricted = dayRestricted;
        _weekdayRestricted = weekdayRestricted;
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with a message naming the bad field.</summary>
    public static CronExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new FormatException($"must be at most {MaxLength} characters");
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new FormatException("must have 5 fields: minute hour day-of-month month day-of-week");
        }

        var minutes = Field(fields[0], "minute", 0, 59, null);
        var hours = Field(fields[1], "hour", 0, 23, null);
        var days = Field(fields[2], "day-of-month", 1, 31, null);
        var months = Field(fields[3], "month", 1, 12, MonthNames);
        var weekdays = Field(fields[4], "day-of-week", 0, 7, DayNames);
        weekdays[0] |= weekdays[7]; // 7 is Sunday too
        var expression = new CronExpression(minutes, hours, days, months, weekdays, !IsStar(fields[2]), !IsStar(fields[4]));
        if (!expression._weekdayRestricted && !Enumerable.Range(1, 12).Any(month => months[month] && Enumerable.Range(1, MaxDay(month)).Any(day => days[day])))
        {
            throw new FormatException("never matches a date (day-of-month does not exist in the months given)");
        }

        return expression;
    }

    /// <summary>
    /// The first time strictly after <paramref name="after"/> that matches, in <paramref name="zone"/>'s
    /// wall-clock time; null when none within the search horizon.
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var startLocal = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        // The next whole minute of wall-clock time.
        var start = new DateTime(startLocal.Year, startLocal.Month, startLocal.Day, startLocal.Hour, startLocal.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var day = start.Date;
        for (var i = 0; i < MaxSearchDays; i++, day = day.AddDays(1))
        {
            if (!_months[day.Month] || !DayMatches(day))
            {
                continue;
            }

            var firstDay = day == start.Date;
            for (var hour = firstDay ? start.Hour : 0; hour < 24; hour++)
            {
                if (!_hours[hour])
                {
                    continue;
                }

                var firstHour = firstDay && hour == start.Hour;
                for (var minute = firstHour ? start.Minute : 0; minute < 60; minute++)
                {
                    if (!_minutes[minute])
                    {
                        continue;
                    }

                    var local = day.AddHours(hour).AddMinutes(minute);
                    if (ToInstant(local, zone) is { } instant && instant > after)
                    {
                        return instant;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The instant of a wall-clock time: null in a DST gap, the first occurrence when it is ambiguous.</summary>
    private static DateTimeOffset? ToInstant(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local))
        {
            return null;
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private bool DayMatches(DateTime day)
    {
        var dom = _days[day.Day];
        var dow = _weekdays[(int)day.DayOfWeek];
        return (_dayRestricted, _weekdayRestricted) switch
        {
            (true, true) => dom || dow,
            (true, false) => dom,
            (false, true) => dow,
            _ => true,
        };
    }

    private static bool IsStar(string field) => field == "*" || field == "?";

    private static int MaxDay(int month) => month == 2 ? 29 : month is 4 or 6 or 9 or 11 ? 30 : 31;

    private static bool[] Field(string field, string name, int min, int max, string[]? names)
    {
        var set = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            if (part.Length == 0)
            {
                throw new FormatException($"{name} field has an empty list item");
            }

            var range = part;
            var step = 1;
            var slash = part.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                range = part[..slash];
                step = Number(part[(slash + 1)..], name, 1, max - min + 1, null);
            }

            int low, high;
            if (range is "*" or "?")
            {
                (low, high) = (min, max == 7 ? 6 : max);
            }
            else
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                if (dash >= 0)
                {
                    low = Number(range[..dash], name, min, max, names);
                    high = Number(range[(dash + 1)..], name, min, max, names);
                    if (high < low)
                    {
                        throw new FormatException($"{name} range '{range}' goes backwards");
                    }
                }
                else
                {
                    low = Number(range, name, min, max, names);
                    high = slash >= 0 ? (max == 7 ? 6 : max) : low;
                }
            }

            for (var value = low; value <= high; value += step)
            {
                set[value] = true;
            }
        }

        return set;
    }

    private static int Number(string text, string name, int min, int max, string[]? names)
    {
        if (names is not null)
        {
            var index = Array.FindIndex(names, candidate => candidate.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index + (names.Length == 12 ? 1 : 0);
            }
        }

        if (text.Length is 0 or > 2 || !text.All(char.IsAsciiDigit) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{name} field has an invalid value '{Shorten(text)}'");
        }

        if (value < min || value > max)
        {
            throw new FormatException($"{name} value {value} is out of range {min}-{max}");
        }

        return value;
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
