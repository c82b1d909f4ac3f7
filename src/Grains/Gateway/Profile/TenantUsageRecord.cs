using System.Globalization;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The tenant's token usage per provider/model: all-time totals plus daily buckets for the last
/// days (the hook for per-day quotas, metering and billing export). The grain is the single
/// writer, so the counts are exact.
/// </summary>
public sealed class TenantUsageRecord
{
    public List<ModelUsage> Totals { get; set; } = [];

    public List<ModelUsage> Daily { get; set; } = [];

    /// <summary>Adds one run's usage and drops daily buckets older than <paramref name="retainDays"/>.</summary>
    public void Record(string provider, string model, int inputTokens, int outputTokens, DateTimeOffset at, int retainDays)
    {
        var day = DayOf(at);
        Add(Find(Totals, null, provider, model), inputTokens, outputTokens, at);
        Add(Find(Daily, day, provider, model), inputTokens, outputTokens, at);

        var oldest = DayOf(at.AddDays(-Math.Max(0, retainDays - 1)));
        Daily.RemoveAll(bucket => string.CompareOrdinal(bucket.Day, oldest) < 0);
    }

    /// <summary>Input plus output tokens used on the UTC day of <paramref name="at"/>, all models.</summary>
    public long TokensOn(DateTimeOffset at)
    {
        var day = DayOf(at);
        return Daily.Where(bucket => bucket.Day == day).Sum(bucket => bucket.InputTokens + bucket.OutputTokens);
    }

    private static void Add(ModelUsage usage, int inputTokens, int outputTokens, DateTimeOffset at)
    {
        usage.InputTokens += Math.Max(0, inputTokens);
        usage.OutputTokens += Math.Max(0, outputTokens);
        usage.Runs++;
        usage.LastUsedAt = at.ToUnixTimeMilliseconds();
    }

    private static ModelUsage Find(List<ModelUsage> list, string? day, string provider, string model)
    {
        foreach (var usage in list)
        {
            if (usage.Day == day && usage.Provider == provider && usage.Model == model)
            {
                return usage;
            }
        }

        var created = new ModelUsage { Day = day, Provider = provider, Model = model };
        list.Add(created);
        return created;
    }

    private static string DayOf(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
