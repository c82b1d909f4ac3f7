namespace OpenClaw.Grains.ControlPlane.Monitor.Rules;

/// <summary>
/// One alert rule: reads the evaluation's inputs and says, per subject (a silo, or <c>cluster</c>),
/// what the value is. Thresholds and hysteresis are applied by <see cref="AlertTracker"/>.
/// </summary>
internal abstract class AlertRule
{
    public abstract string Name { get; }

    public abstract AlertRuleOptions Options { get; }

    public abstract RuleEvaluation Evaluate(MonitorInputs inputs);
}

/// <summary>
/// A rule's value for one subject. <see cref="Value"/> null: not known this time (the silo did not
/// answer, no window yet), which neither raises nor resolves.
/// </summary>
internal sealed record RuleReading(string Subject, double? Value, string Message);

/// <summary>
/// What a rule saw. Without data (its source could not be read) nothing changes; with data, an
/// active alert whose subject is not among the readings (a silo that left) counts as clear.
/// </summary>
internal sealed record RuleEvaluation(bool HasData, IReadOnlyList<RuleReading> Readings)
{
    public static RuleEvaluation NoData { get; } = new(false, []);

    public static RuleEvaluation Of(IReadOnlyList<RuleReading> readings) => new(true, readings);
}
