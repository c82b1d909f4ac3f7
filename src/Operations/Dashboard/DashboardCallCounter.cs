using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// Counts the grain calls this silo receives per grain type (the dashboard's per-type call rates)
/// and remembers which tenants were called most recently, in a table bounded by
/// <see cref="DashboardOptions.RecentTenantCapacity"/> (trimmed by the sampler, never on the call
/// path). Grain types are a fixed set of classes, so the per-type table is bounded too.
/// </summary>
internal sealed class DashboardCallCounter(TimeProvider time, IOptions<DashboardOptions> options) : IIncomingGrainCallFilter
{
    /// <summary>The runtime's grain type of <c>UserGrain</c> (its class name without "Grain", lower case).</summary>
    public const string UserGrainType = "user";

    private readonly ConcurrentDictionary<string, CallCount> _byType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RecentTenant> _recent = new(StringComparer.Ordinal);
    private readonly int _capacity = options.Value.RecentTenantCapacity;
    private int _recentCount;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var type = context.TargetId.Type;
        if (!_byType.TryGetValue(type, out var count)) count = _byType.GetOrAdd(type, _ => new CallCount());
        Interlocked.Increment(ref count.Value);
        if (context.Grain is IUserGrain) Touch(context.TargetId.Key);
        return context.Invoke();
    }

    /// <summary>Calls received per grain type since start.</summary>
    public IReadOnlyDictionary<string, long> CallsByType() =>
        _byType.ToDictionary(pair => pair.Key, pair => Interlocked.Read(ref pair.Value.Value), StringComparer.Ordinal);

    /// <summary>The most recently called tenants, newest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<RecentTenantActivity> MostRecent(int limit, Func<string, bool> include)
    {
        var top = new PriorityQueue<RecentTenantActivity, long>(limit + 1);
        foreach (var (tenantId, recent) in _recent)
        {
            if (!include(tenantId)) continue;
            var lastMs = Volatile.Read(ref recent.LastCallMs);
            top.Enqueue(new RecentTenantActivity(tenantId, DateTimeOffset.FromUnixTimeMilliseconds(lastMs), Interlocked.Read(ref recent.Calls)), lastMs);
            if (top.Count > limit) top.Dequeue();
        }

        var list = new List<RecentTenantActivity>(top.Count);
        while (top.Count > 0) list.Add(top.Dequeue());
        list.Reverse();
        return list;
    }

    /// <summary>Drops the least recently called tenants beyond the capacity (the table may grow to twice it between trims).</summary>
    public void Trim()
    {
        var excess = Volatile.Read(ref _recentCount) - _capacity;
        if (excess <= 0) return;
        foreach (var (tenantId, _) in _recent.OrderBy(pair => Volatile.Read(ref pair.Value.LastCallMs)).Take(excess).ToList())
        {
            if (_recent.TryRemove(tenantId, out _)) Interlocked.Decrement(ref _recentCount);
        }
    }

    private void Touch(string tenantId)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_recent.TryGetValue(tenantId, out var recent))
        {
            Volatile.Write(ref recent.LastCallMs, nowMs);
            Interlocked.Increment(ref recent.Calls);
            return;
        }

        if (Volatile.Read(ref _recentCount) >= _capacity * 2) return;
        if (_recent.TryAdd(tenantId, new RecentTenant { LastCallMs = nowMs, Calls = 1 })) Interlocked.Increment(ref _recentCount);
    }

    private sealed class CallCount
    {
        public long Value;
    }

    private sealed class RecentTenant
    {
        public long LastCallMs;
        public long Calls;
    }
}

/// <summary>A tenant this process served recently: when it was last called and how many calls it had here.</summary>
internal sealed record RecentTenantActivity(string TenantId, DateTimeOffset LastCallAt, long Calls);
