namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary><c>active-ratio</c>: each silo's activations as a percentage of its activation cap.</summary>
internal sealed class ActiveRatioRule(ActiveRatioRuleOptions options) : AlertRule
{
    public const string RuleName = "active-ratio";

    public override string Name => RuleName;

    public override AlertRuleOptions Options => options;

    public override RuleEvaluation Evaluate(MonitorInputs inputs)
    {
        if (inputs.Cluster is null) return RuleEvaluation.NoData;
        var readings = new List<RuleReading>();
        foreach (var silo in inputs.Cluster.Silos)
        {
            if (silo.MaxActivations <= 0)
            {
                // No cap: nothing to be close to.
                readings.Add(new RuleReading(silo.Silo, 0, ""));
                continue;
            }

            var percent = 100.0 * silo.Activations / silo.MaxActivations;
            readings.Add(new RuleReading(silo.Silo, percent,
                $"Silo {silo.Silo} has {silo.Activations} of {silo.MaxActivations} activations ({RuleText.Number(percent)} %, threshold {RuleText.Number(options.ThresholdPercent)} %)"));
        }

        foreach (var silo in inputs.Cluster.Unreachable) readings.Add(new RuleReading(silo, null, ""));
        return RuleEvaluation.Of(readings);
    }
}
