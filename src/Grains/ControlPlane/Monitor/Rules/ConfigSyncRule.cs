namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary><c>config-sync</c>: the config sync's consecutive failures (nothing when it is off).</summary>
internal sealed class ConfigSyncRule(ConfigSyncRuleOptions options) : AlertRule
{
    public const string RuleName = "config-sync";
    public const string Subject = "cluster";

    public override string Name => RuleName;

    public override AlertRuleOptions Options => options;

    public override RuleEvaluation Evaluate(MonitorInputs inputs)
    {
        if (inputs.Sync is not { } sync) return RuleEvaluation.NoData;
        if (!sync.Enabled) return RuleEvaluation.Of([]);
        var message = $"Config sync failed {sync.ConsecutiveFailures} times in a row (threshold {options.ConsecutiveFailures})";
        if (!string.IsNullOrEmpty(sync.LastError)) message += ": " + RuleText.Excerpt(sync.LastError);
        return RuleEvaluation.Of([new RuleReading(Subject, sync.ConsecutiveFailures, message)]);
    }
}
