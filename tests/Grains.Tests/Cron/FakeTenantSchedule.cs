using OpenClaw.Grains.Gateway.Cron;

namespace OpenClaw.Grains.Tests.Cron;

/// <summary>Records what the tenant asked of its reminder (the grain would register or unregister it).</summary>
internal sealed class FakeTenantSchedule : ITenantSchedule
{
    private readonly object _lock = new();
    private readonly List<DateTimeOffset?> _calls = [];

    public IReadOnlyList<DateTimeOffset?> Calls
    {
        get
        {
            lock (_lock) return _calls.ToList();
        }
    }

    /// <summary>The wake-up in force now (null: none).</summary>
    public DateTimeOffset? Current
    {
        get
        {
            lock (_lock) return _calls.Count == 0 ? null : _calls[^1];
        }
    }

    public Task ScheduleAsync(DateTimeOffset? next, CancellationToken cancellationToken = default)
    {
        lock (_lock) _calls.Add(next);
        return Task.CompletedTask;
    }
}
