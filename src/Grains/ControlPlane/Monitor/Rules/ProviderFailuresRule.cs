namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary>
/// <c>provider-failures</c>: LLM provider errors of the whole cluster over the last window (a
/// provider is shared by every silo, so its outage shows as the sum).
/// </summary>
internal sealed class ProviderFailuresRule(ProviderFailuresRuleOptions options) : AlertRule
{
    public const string RuleName = "provider-failures";
    public const string Subject = "cluster";

    public override string Name => RuleName;

    public override AlertRuleOptions Options => options;

    public override RuleEvaluation Evaluate(MonitorInputs inputs)
    {
        if (inputs.Cluster is null || inputs.Deltas.Count == 0) return RuleEvaluation.NoData;
        var errors = inputs.Deltas.Values.Sum(d => d.ProviderErrors);
        var span = inputs.Deltas.Values.Max(d => d.Span);
        return RuleEvaluation.Of([new RuleReading(Subject, errors,
            $"{errors} LLM provider errors in the last {RuleText.Seconds(span)} (threshold {options.ErrorsPerInterval})")]);
    }
}
