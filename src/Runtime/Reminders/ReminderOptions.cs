namespace OpenClaw.Runtime;

/// <summary>Reminder bounds and service timings (section <c>reminders</c>), with named defaults; validated at startup.</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "reminders";

    public static readonly TimeSpan DefaultMinimumPeriod = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultMaximumDueTime = TimeSpan.FromDays(3650);
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultRetryInitialDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultDeliveredFlushInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultNotifyTimeout = TimeSpan.FromSeconds(5);
    public const int DefaultMaxRemindersPerGrain = 64;
    public const int DefaultMaxNameLength = 128;
    public const int DefaultMaxConcurrentDeliveries = 64;
    public const int DefaultRingPointsPerSilo = 32;

    /// <summary>The shortest period a reminder may have (reminders are for minutes to days; use a grain timer for less).</summary>
    public TimeSpan MinimumPeriod { get; set; } = DefaultMinimumPeriod;

    /// <summary>The latest first due time a registration may ask for.</summary>
    public TimeSpan MaximumDueTime { get; set; } = DefaultMaximumDueTime;

    /// <summary>Reminders one grain may have; registering one more (a new name) fails with <see cref="ReminderLimitException"/>.</summary>
    public int MaxRemindersPerGrain { get; set; } = DefaultMaxRemindersPerGrain;

    /// <summary>Longest reminder name, in characters.</summary>
    public int MaxNameLength { get; set; } = DefaultMaxNameLength;

    /// <summary>How often each silo rereads its share of the table (the safety net for a lost change notice).</summary>
    public TimeSpan RefreshInterval { get; set; } = DefaultRefreshInterval;

    /// <summary>First wait before redelivering a tick whose delivery failed; doubles per attempt up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = DefaultRetryInitialDelay;

    public TimeSpan RetryMaxDelay { get; set; } = DefaultRetryMaxDelay;

    /// <summary>How often delivered ticks are written to the table, in one batch.</summary>
    public TimeSpan DeliveredFlushInterval { get; set; } = DefaultDeliveredFlushInterval;

    /// <summary>How long a registration waits for the owning silo to take the change (the table is written before).</summary>
    public TimeSpan NotifyTimeout { get; set; } = DefaultNotifyTimeout;

    /// <summary>Deliveries in flight at once on one silo (a burst of due reminders queues behind these).</summary>
    public int MaxConcurrentDeliveries { get; set; } = DefaultMaxConcurrentDeliveries;

    /// <summary>Points each silo has on the ownership ring (more points: a more even share).</summary>
    public int RingPointsPerSilo { get; set; } = DefaultRingPointsPerSilo;

    internal IEnumerable<string> Validate()
    {
        if (MinimumPeriod <= TimeSpan.Zero) yield return "reminders:MinimumPeriod must be positive.";
        if (MaximumDueTime <= TimeSpan.Zero) yield return "reminders:MaximumDueTime must be positive.";
        if (MaxRemindersPerGrain is < 1 or > 100_000) yield return "reminders:MaxRemindersPerGrain must be between 1 and 100000.";
        if (MaxNameLength is < 1 or > 1024) yield return "reminders:MaxNameLength must be between 1 and 1024.";
        if (RefreshInterval <= TimeSpan.Zero) yield return "reminders:RefreshInterval must be positive.";
        if (RetryInitialDelay <= TimeSpan.Zero) yield return "reminders:RetryInitialDelay must be positive.";
        if (RetryMaxDelay < RetryInitialDelay) yield return "reminders:RetryMaxDelay must be at least RetryInitialDelay.";
        if (DeliveredFlushInterval <= TimeSpan.Zero) yield return "reminders:DeliveredFlushInterval must be positive.";
        if (NotifyTimeout <= TimeSpan.Zero) yield return "reminders:NotifyTimeout must be positive.";
        if (MaxConcurrentDeliveries is < 1 or > 10_000) yield return "reminders:MaxConcurrentDeliveries must be between 1 and 10000.";
        if (RingPointsPerSilo is < 1 or > 1024) yield return "reminders:RingPointsPerSilo must be between 1 and 1024.";
    }
}

internal sealed class ReminderOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<ReminderOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ReminderOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }
}
