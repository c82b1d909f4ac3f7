namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// The tenant's one durable wake-up: the grain keeps a single reminder due at <paramref name="next"/>
/// (its earliest job or heartbeat), so a dormant tenant is activated only when something is due.
/// Keeps the dispatcher independent of the runtime (the grain implements it with the reminder registry).
/// </summary>
internal interface ITenantSchedule
{
    /// <summary>Sets the wake-up to <paramref name="next"/>; null removes it (nothing is scheduled).</summary>
    Task ScheduleAsync(DateTimeOffset? next, CancellationToken cancellationToken = default);
}
