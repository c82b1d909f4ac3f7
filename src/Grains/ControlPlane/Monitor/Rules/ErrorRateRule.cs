namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary>
/// <c>error-rate</c>: each silo's failed grain calls as a percentage of its calls over the last
/// window. Fewer calls than the minimum count as 0 %: a handful of failures is not a rate.
/// </summary>
internal sealed class ErrorRateRule(ErrorRateRuleOptions options) : AlertRule
{
    public const string RuleName = "error-rate";

    public override string Name => RuleName;

    public override AlertRuleOptions Options => options;

    public override RuleEvaluation Evaluate(MonitorInputs inputs)
    {
        if (inputs.Cluster is null) return RuleEvaluation.NoData;
        var readings = new List<RuleReading>();
        foreach (var silo in inputs.Cluster.Silos)
        {
            if (!inputs.Deltas.TryGetValue(silo.Silo, out var delta))
            {
                readings.Add(new RuleReading(silo.Silo, null, ""));
                continue;
            }

            if (delta.Calls < options.MinimumCalls)
            {
                readings.Add(new RuleReading(silo.Silo, 0, $"Silo {silo.Silo} handled {delta.Calls} grain calls in the last {RuleText.Seconds(delta.Span)}"));
                continue;
            }

            var percent = 100.0 * delta.CallFailures / delta.Calls;
            readings.Add(new RuleReading(silo.Silo, percent,
                $"Silo {silo.Silo}: {RuleText.Number(percent)} % of {delta.Calls} grain calls failed in the last {RuleText.Seconds(delta.Span)} (threshold {RuleText.Number(options.ThresholdPercent)} %)"));
        }

        foreach (var silo in inputs.Cluster.Unreachable) readings.Add(new RuleReading(silo, null, ""));
        return RuleEvaluation.Of(readings);
    }
}
