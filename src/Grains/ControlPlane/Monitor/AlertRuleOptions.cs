using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// What every rule has: on/off, severity and hysteresis. An alert is raised when the value is at or
/// above the threshold in <see cref="RaiseAfter"/> consecutive evaluations, and resolved only when
/// it is below the threshold minus <see cref="ResolveMarginPercent"/> % of it in
/// <see cref="ResolveAfter"/> consecutive evaluations; in between nothing changes, so a value
/// hovering around the threshold neither raises nor resolves over and over.
/// </summary>
public abstract class AlertRuleOptions
{
    public const int MaxEvaluations = 100;

    public bool Enabled { get; set; } = true;

    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    public int RaiseAfter { get; set; } = 2;

    public int ResolveAfter { get; set; } = 3;

    public double ResolveMarginPercent { get; set; } = 10;

    /// <summary>The threshold in the rule's unit (MB, %, failures, errors).</summary>
    internal abstract double Threshold { get; }

    /// <summary>Below this value an evaluation counts towards resolving.</summary>
    internal double ResolveBelow => Threshold * (1 - (ResolveMarginPercent / 100));
}

/// <summary>A silo's working set at or above <see cref="ThresholdMb"/> (seed 000: 512 MB).</summary>
public sealed class MemoryRuleOptions : AlertRuleOptions
{
    public const double DefaultThresholdMb = 512;

    public double ThresholdMb { get; set; } = DefaultThresholdMb;

    internal override double Threshold => ThresholdMb;
}

/// <summary>
/// A silo's activations at or above <see cref="ThresholdPercent"/> % of its cap
/// (<c>multiTenant:maxCachedUsers</c>; seed 000: 80 %): past the cap, idle tenants are evicted.
/// </summary>
public sealed class ActiveRatioRuleOptions : AlertRuleOptions
{
    public const double DefaultThresholdPercent = 80;

    public double ThresholdPercent { get; set; } = DefaultThresholdPercent;

    internal override double Threshold => ThresholdPercent;
}

/// <summary>The config sync failed <see cref="ConsecutiveFailures"/> times in a row (seed 000: 3).</summary>
public sealed class ConfigSyncRuleOptions : AlertRuleOptions
{
    public const int DefaultConsecutiveFailures = 3;

    public ConfigSyncRuleOptions()
    {
        // The failure count is its own hysteresis: raise at once, resolve at the first success.
        Severity = AlertSeverity.Critical;
        RaiseAfter = 1;
        ResolveAfter = 1;
    }

    public int ConsecutiveFailures { get; set; } = DefaultConsecutiveFailures;

    internal override double Threshold => ConsecutiveFailures;
}

/// <summary>
/// A silo's failed grain calls at or above <see cref="ThresholdPercent"/> % of its calls in the last
/// interval, counted only when it handled at least <see cref="MinimumCalls"/> calls in it.
/// </summary>
public sealed class ErrorRateRuleOptions : AlertRuleOptions
{
    public const double DefaultThresholdPercent = 5;
    public const long DefaultMinimumCalls = 100;

    public ErrorRateRuleOptions() => Severity = AlertSeverity.Critical;

    public double ThresholdPercent { get; set; } = DefaultThresholdPercent;

    public long MinimumCalls { get; set; } = DefaultMinimumCalls;

    internal override double Threshold => ThresholdPercent;
}

/// <summary>LLM provider errors of the whole cluster in the last interval at or above <see cref="Threshold"/>.</summary>
public sealed class ProviderFailuresRuleOptions : AlertRuleOptions
{
    public const long DefaultErrorsPerInterval = 10;

    public ProviderFailuresRuleOptions() => RaiseAfter = 1;

    public long ErrorsPerInterval { get; set; } = DefaultErrorsPerInterval;

    internal override double Threshold => ErrorsPerInterval;
}

/// <summary>A silo in the membership view that does not answer.</summary>
public sealed class SiloUnreachableRuleOptions : AlertRuleOptions
{
    public SiloUnreachableRuleOptions()
    {
        Severity = AlertSeverity.Critical;
        ResolveAfter = 1;
    }

    internal override double Threshold => 1;
}
