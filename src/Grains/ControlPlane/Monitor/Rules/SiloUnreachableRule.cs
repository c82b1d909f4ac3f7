namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary>
/// <c>silo-unreachable</c>: 1 for a silo in the membership view that did not answer, 0 for one that
/// did. A silo that left the view (declared dead and replaced) is no longer a subject, so its
/// alert resolves.
/// </summary>
internal sealed class SiloUnreachableRule(SiloUnreachableRuleOptions options) : AlertRule
{
    public const string RuleName = "silo-unreachable";

    public override string Name => RuleName;

    public override AlertRuleOptions Options => options;

    public override RuleEvaluation Evaluate(MonitorInputs inputs)
    {
        if (inputs.Cluster is null) return RuleEvaluation.NoData;
        var readings = new List<RuleReading>();
        foreach (var silo in inputs.Cluster.Silos) readings.Add(new RuleReading(silo.Silo, 0, $"Silo {silo.Silo} answers again"));
        foreach (var silo in inputs.Cluster.Unreachable)
            readings.Add(new RuleReading(silo, 1, $"Silo {silo} is in the membership view but does not answer"));
        return RuleEvaluation.Of(readings);
    }
}
