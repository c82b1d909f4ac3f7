using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Gateway.Cron;
using OpenClaw.Runtime;

namespace OpenClaw.Grains;

/// <summary>
/// Scheduled jobs and the heartbeat wake a dormant tenant through ONE durable reminder
/// (<see cref="ScheduleReminderName"/>), kept due at the tenant's earliest job or heartbeat: re-registered
/// after every change and every fire, removed when nothing is scheduled. Nothing pins the activation for
/// it: between runs the tenant is collected as usual, and the reminder service activates it again when
/// something is due (on whichever silo placement chooses, also after a restart).
/// </summary>
public sealed partial class UserGrain : IRemindable, ITenantSchedule
{
    public const string ScheduleReminderName = "openclaw.schedule";

    /// <summary>A wake-up further away is registered at this distance; the early tick finds nothing due and re-arms.</summary>
    private static readonly TimeSpan MaxReminderDueTime = TimeSpan.FromDays(365);

    /// <summary>Whether this activation has compared the stored reminder with what it wants (once, at its first schedule).</summary>
    private bool _reminderCompared;

    /// <summary>The tenant directory said the tenant is unknown, suspended or deleted (not merely unreachable).</summary>
    private bool _tenantRefused;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        CronLog.ReminderFired(_logger, _context.TenantId, reminderName, status.CurrentTickTime);
        if (reminderName != ScheduleReminderName || _tenantRefused)
        {
            // Not ours, or the tenant is gone or suspended: nothing may run for it (its next activation re-arms what it has).
            await UnregisterAsync(reminderName);
            return;
        }

        if (_context.Tenant is null)
        {
            return; // the tenant directory is unreachable: the reminder's period brings it back
        }

        await _context.Cron.TickAsync();
    }

    async Task ITenantSchedule.ScheduleAsync(DateTimeOffset? next, CancellationToken cancellationToken)
    {
        if (ServiceProvider.GetService<IReminderRegistry>() is not { } reminders)
        {
            return; // a host without the reminder service: jobs run only while the tenant is active
        }

        if (!_reminderCompared)
        {
            // The first schedule of an activation (usually at activation): a read instead of a write when nothing changed.
            _reminderCompared = true;
            var stored = await reminders.GetAsync(GrainId, ScheduleReminderName, cancellationToken);
            // A wake-up already past is always registered again: its tick may have been delivered to a run a crash cut off.
            if (next is null ? stored is null : stored is not null && stored.Period == _options.Cron.ReminderPeriod
                && next.Value > TimeProvider.GetUtcNow() && (stored.StartAt - next.Value).Duration() < TimeSpan.FromSeconds(1))
            {
                return;
            }
        }

        if (next is not { } due)
        {
            await reminders.UnregisterAsync(GrainId, ScheduleReminderName, cancellationToken);
        }
        else
        {
            var dueTime = due - TimeProvider.GetUtcNow();
            dueTime = dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime > MaxReminderDueTime ? MaxReminderDueTime : dueTime;
            await reminders.RegisterOrUpdateAsync(GrainId, ScheduleReminderName, dueTime, _options.Cron.ReminderPeriod, cancellationToken);
        }

        CronLog.Scheduled(_logger, _context.TenantId, ScheduleReminderName, next);
    }

    private async Task UnregisterAsync(string reminderName)
    {
        if (ServiceProvider.GetService<IReminderRegistry>() is { } reminders)
        {
            await reminders.UnregisterAsync(GrainId, reminderName);
        }
    }
}
