namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// Bounds of every tenant's scheduled jobs and heartbeat (configuration section
/// <c>multiTenant:userGrain:cron</c>). A tenant controls its jobs, so everything it can grow is capped here.
/// </summary>
public sealed class CronOptions
{
    public const string DefaultHeartbeatPrompt =
        "Follow the heartbeat monitor scratch context when provided. Recurring tasks are automations; create or change their schedules " +
        "with the automations tool, not heartbeat scratch. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply NO_REPLY.";

    /// <summary>Jobs one tenant may have (enabled or not).</summary>
    public int MaxJobs { get; set; } = 50;

    /// <summary>Longest job name (and description), in characters.</summary>
    public int MaxNameChars { get; set; } = 200;

    /// <summary>Longest payload text (a system event's text, an agent turn's message, a heartbeat prompt), in characters.</summary>
    public int MaxTextChars { get; set; } = 20_000;

    /// <summary>Run records kept per job (the oldest go first).</summary>
    public int MaxRunHistoryPerJob { get; set; } = 20;

    /// <summary>Run records kept per tenant over all jobs, including jobs already removed.</summary>
    public int MaxRunHistory { get; set; } = 200;

    /// <summary>Shortest interval of an <c>every</c> schedule, and the shortest gap between two runs of a <c>cron</c> schedule's job.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Shortest heartbeat cadence a tenant may configure.</summary>
    public TimeSpan MinHeartbeatInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Heartbeat cadence when the tenant enables heartbeats without choosing one.</summary>
    public TimeSpan DefaultHeartbeatEvery { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Longest a heartbeat run may take (the cadence caps it too).</summary>
    public TimeSpan MaxHeartbeatRunTime { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>System events (from <c>wake</c>, <c>system-event</c> and system-event jobs) waiting for the next heartbeat; the oldest go first.</summary>
    public int MaxPendingSystemEvents { get; set; } = 20;

    /// <summary>Shortest gap between two heartbeats run by <c>wake</c>/<c>system-event</c> with mode <c>now</c>; a sooner wake only queues its text.</summary>
    public TimeSpan MinWakeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When a job could not start (the tenant's run limit), it is tried again after this.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Period of the tenant's durable reminder: it is re-registered at every change and every fire, so
    /// the period only matters when that did not happen (a crash); then the reminder still comes back.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The user message of a heartbeat run when the tenant's config gives none.</summary>
    public string HeartbeatPrompt { get; set; } = DefaultHeartbeatPrompt;

    internal IEnumerable<string> Validate()
    {
        if (MaxJobs is < 1 or > 10_000) yield return "Cron.MaxJobs must be between 1 and 10000.";
        if (MaxNameChars is < 1 or > 10_000) yield return "Cron.MaxNameChars must be between 1 and 10000.";
        if (MaxTextChars is < 1 or > 1_000_000) yield return "Cron.MaxTextChars must be between 1 and 1000000.";
        if (MaxRunHistoryPerJob is < 1 or > 1000) yield return "Cron.MaxRunHistoryPerJob must be between 1 and 1000.";
        if (MaxRunHistory < MaxRunHistoryPerJob || MaxRunHistory > 100_000) yield return "Cron.MaxRunHistory must be between MaxRunHistoryPerJob and 100000.";
        if (MinInterval < TimeSpan.FromSeconds(1)) yield return "Cron.MinInterval must be at least 1 second.";
        if (MinHeartbeatInterval < TimeSpan.FromSeconds(1)) yield return "Cron.MinHeartbeatInterval must be at least 1 second.";
        if (DefaultHeartbeatEvery < MinHeartbeatInterval) yield return "Cron.DefaultHeartbeatEvery must be at least MinHeartbeatInterval.";
        if (MaxHeartbeatRunTime <= TimeSpan.Zero) yield return "Cron.MaxHeartbeatRunTime must be positive.";
        if (MaxPendingSystemEvents is < 1 or > 1000) yield return "Cron.MaxPendingSystemEvents must be between 1 and 1000.";
        if (MinWakeInterval < TimeSpan.Zero) yield return "Cron.MinWakeInterval must not be negative.";
        if (RetryDelay <= TimeSpan.Zero) yield return "Cron.RetryDelay must be positive.";
        if (ReminderPeriod < TimeSpan.FromMinutes(1)) yield return "Cron.ReminderPeriod must be at least 1 minute.";
        if (string.IsNullOrWhiteSpace(HeartbeatPrompt)) yield return "Cron.HeartbeatPrompt must be set.";
    }
}
