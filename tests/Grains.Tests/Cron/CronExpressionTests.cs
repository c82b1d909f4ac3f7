using OpenClaw.Grains.Gateway.Cron;

namespace OpenClaw.Grains.Tests.Cron;

/// <summary>The 5-field cron parser and its next-occurrence calculation, in UTC and in IANA time zones across DST changes.</summary>
public sealed class CronExpressionTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static DateTimeOffset? Next(string expr, DateTimeOffset after, TimeZoneInfo? zone = null) =>
        CronExpression.Parse(expr).Next(after, zone ?? TimeZoneInfo.Utc);

    [Theory]
    [InlineData("*/15 * * * *", "2026-01-01T10:07:00Z", "2026-01-01T10:15:00Z")]
    [InlineData("*/15 * * * *", "2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z")]
    [InlineData("0 9 * * 1-5", "2026-01-02T09:00:00Z", "2026-01-05T09:00:00Z")] // Friday 9:00 → Monday
    [InlineData("0 9 * * MON-FRI", "2026-01-03T12:00:00Z", "2026-01-05T09:00:00Z")]
    [InlineData("30 6 1 JAN *", "2026-01-01T06:30:00Z", "2027-01-01T06:30:00Z")]
    [InlineData("0 0 29 2 *", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 12 * * 7", "2026-01-01T00:00:00Z", "2026-01-04T12:00:00Z")] // 7 is Sunday
    [InlineData("5,10 1-2/1 * * *", "2026-01-01T01:06:00Z", "2026-01-01T01:10:00Z")]
    [InlineData("0 0 13 * 5", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")] // day 13 OR a Friday: Friday Jan 2 first
    public void Next_occurrence_in_utc(string expr, string after, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected), Next(expr, DateTimeOffset.Parse(after)));
    }

    [Fact]
    public void A_local_time_in_the_spring_forward_gap_is_skipped()
    {
        // Berlin jumps from 02:00 to 03:00 on 2026-03-29: 02:30 does not exist that day.
        var next = Next("30 2 * * *", Utc(2026, 3, 28, 2, 0), Berlin);
        Assert.Equal(Utc(2026, 3, 30, 0, 30), next); // 02:30 CEST on the 30th
    }

    [Fact]
    public void A_local_time_that_happens_twice_at_fall_back_fires_once_at_its_first_occurrence()
    {
        // Berlin goes from 03:00 CEST back to 02:00 CET on 2026-10-25: 02:30 happens at 00:30Z and 01:30Z.
        var first = Next("30 2 * * *", Utc(2026, 10, 24, 12, 0), Berlin);
        Assert.Equal(Utc(2026, 10, 25, 0, 30), first);
        var second = Next("30 2 * * *", first!.Value, Berlin);
        Assert.Equal(Utc(2026, 10, 26, 1, 30), second); // the next day, not the repeated 02:30
    }

    [Fact]
    public void Hourly_jobs_keep_wall_clock_hours_across_dst()
    {
        // New York springs forward on 2026-03-08 at 02:00 → 03:00.
        var times = new List<DateTimeOffset>();
        var at = Utc(2026, 3, 8, 5, 30); // 00:30 EST
        for (var i = 0; i < 3; i++)
        {
            at = Next("0 * * * *", at, NewYork)!.Value;
            times.Add(at);
        }

        Assert.Equal([Utc(2026, 3, 8, 6, 0), Utc(2026, 3, 8, 7, 0), Utc(2026, 3, 8, 8, 0)], times); // 01:00 EST, 03:00 EDT, 04:00 EDT
    }

    [Fact]
    public void A_time_zone_moves_the_occurrence()
    {
        Assert.Equal(Utc(2026, 7, 1, 7, 0), Next("0 9 * * *", Utc(2026, 7, 1, 0, 0), Berlin)); // 09:00 CEST
        Assert.Equal(Utc(2026, 1, 1, 8, 0), Next("0 9 * * *", Utc(2026, 1, 1, 0, 0), Berlin)); // 09:00 CET
    }

    [Theory]
    [InlineData("* * * *", "5 fields")]
    [InlineData("60 * * * *", "minute value 60")]
    [InlineData("* 24 * * *", "hour value 24")]
    [InlineData("* * 0 * *", "day-of-month value 0")]
    [InlineData("* * * 13 *", "month value 13")]
    [InlineData("* * * * 8", "day-of-week value 8")]
    [InlineData("5-1 * * * *", "goes backwards")]
    [InlineData("*/0 * * * *", "minute value 0")]
    [InlineData("a * * * *", "invalid value 'a'")]
    [InlineData("0 0 31 2 *", "never matches")]
    [InlineData("1,,2 * * * *", "empty list item")]
    public void Bad_expressions_are_refused_with_the_field_named(string expr, string message)
    {
        var error = Assert.Throws<FormatException>(() => CronExpression.Parse(expr));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlong_expression_is_refused_before_parsing()
    {
        Assert.Throws<FormatException>(() => CronExpression.Parse(string.Join(",", Enumerable.Range(0, 59)) + " * * * *" + new string(' ', 300)));
    }
}
