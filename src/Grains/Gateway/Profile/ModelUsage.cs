namespace OpenClaw.Grains.Gateway;

/// <summary>Tokens used with one provider/model, over all time or on one UTC day.</summary>
public sealed class ModelUsage
{
    /// <summary>UTC day <c>yyyy-MM-dd</c> for daily buckets; null for the all-time totals.</summary>
    public string? Day { get; set; }

    public string Provider { get; set; } = "";

    public string Model { get; set; } = "";

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long Runs { get; set; }

    /// <summary>Epoch milliseconds of the last run counted.</summary>
    public long LastUsedAt { get; set; }
}
