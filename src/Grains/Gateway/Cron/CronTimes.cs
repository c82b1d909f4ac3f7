namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// When a job runs next. Missed runs are not made up one by one: a tenant that was dormant (or a silo
/// that was down) past several due times runs the job once, then continues from now.
/// </summary>
internal static class CronTimes
{
    /// <summary>The next run after <paramref name="nowMs"/> (or at once, for a due <c>at</c> job that never ran); null when none.</summary>
    public static long? Next(CronJob job, long nowMs, TimeSpan minInterval)
    {
        if (!job.Enabled)
        {
            return null;
        }

        var schedule = job.Schedule;
        switch (schedule.Kind)
        {
            case CronJobRules.ScheduleAt:
                return job.State.LastRunAtMs is null ? schedule.AtMs : null;
            case CronJobRules.ScheduleEvery when schedule.EveryMs is > 0 and var every:
                var anchor = schedule.AnchorMs ?? job.CreatedAtMs;
                if (nowMs < anchor)
                {
                    return anchor;
                }

                return anchor + (((nowMs - anchor) / every) + 1) * every;
            case CronJobRules.ScheduleCron when schedule.Expr is { } expr:
                // Never closer than the minimum interval to the last run, whatever the expression says.
                var after = nowMs;
                if (job.State.LastRunAtMs is { } last)
                {
                    after = Math.Max(after, last + (long)minInterval.TotalMilliseconds - 1);
                }

                try
                {
                    var next = CronExpression.Parse(expr).Next(DateTimeOffset.FromUnixTimeMilliseconds(after), CronJobRules.Zone(schedule.Tz));
                    return next?.ToUnixTimeMilliseconds();
                }
                catch (Exception exception) when (exception is FormatException or TimeZoneNotFoundException or InvalidTimeZoneException)
                {
                    // Checked when the job was stored; a time zone the host no longer knows stops the job.
                    return null;
                }

            default:
                return null;
        }
    }
}
