namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary><c>memory</c>: each silo's working set, in MB.</summary>
internal sealed class MemoryRule(MemoryRuleOptions options) : AlertRule
{
    public const string RuleName = "memory";
    private const double BytesPerMb = 1024 * 1024;

    public override string Name => RuleName;

    public override AlertRuleOptions Options => options;

    public override RuleEvaluation Evaluate(MonitorInputs inputs)
    {
        if (inputs.Cluster is null) return RuleEvaluation.NoData;
        var readings = new List<RuleReading>();
        foreach (var silo in inputs.Cluster.Silos)
        {
            var mb = silo.WorkingSetBytes / BytesPerMb;
            readings.Add(new RuleReading(silo.Silo, mb,
                $"Silo {silo.Silo} uses {RuleText.Number(mb)} MB of memory (threshold {RuleText.Number(options.ThresholdMb)} MB)"));
        }

        foreach (var silo in inputs.Cluster.Unreachable) readings.Add(new RuleReading(silo, null, ""));
        return RuleEvaluation.Of(readings);
    }
}
