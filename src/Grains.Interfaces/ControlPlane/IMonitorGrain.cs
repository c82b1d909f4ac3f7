using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// Watches the cluster: gathers every silo's figures on an interval, evaluates the alert rules,
/// raises and resolves alerts and sends them to the handlers (log, webhooks). One per cluster
/// (key <see cref="ClusterKey"/>); reactivated elsewhere when its silo goes away.
/// </summary>
public interface IMonitorGrain : IGrainWithStringKey
{
    public const string ClusterKey = "cluster";

    /// <summary>Makes sure the periodic evaluation runs (every silo calls this on an interval).</summary>
    Task EnsureRunning(CancellationToken cancellationToken = default);

    /// <summary>Evaluates every rule now and returns the active alerts after it.</summary>
    Task<IReadOnlyList<AlertRecord>> EvaluateNow(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AlertRecord>> GetActiveAlerts(CancellationToken cancellationToken = default);

    /// <summary>Raised and resolved alerts, newest first.</summary>
    Task<IReadOnlyList<AlertRecord>> GetAlertHistory(int limit, CancellationToken cancellationToken = default);
}

public enum AlertSeverity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}

/// <summary>One alert: raised at <see cref="RaisedAt"/>, resolved at <see cref="ResolvedAt"/> (null while active).</summary>
[Immutable]
public sealed record AlertRecord
{
    public required string Id { get; init; }

    /// <summary>The rule: <c>memory</c>, <c>active-ratio</c>, <c>config-sync</c>, <c>error-rate</c>, <c>provider-failures</c>…</summary>
    public required string Rule { get; init; }
    public AlertSeverity Severity { get; init; } = AlertSeverity.Warning;

    /// <summary>What it is about: a silo address, a provider name, or <c>cluster</c>.</summary>
    public string Subject { get; init; } = "cluster";
    public string Message { get; init; } = "";
    public double Value { get; init; }
    public double Threshold { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
}
