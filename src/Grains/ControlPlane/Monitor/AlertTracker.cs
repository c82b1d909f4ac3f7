using OpenClaw.Grains.ControlPlane.Monitor.Rules;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// Applies thresholds and hysteresis: one track per (rule, subject) holding the active alert, if
/// any, and how many evaluations in a row were over the threshold or under the resolve level. At
/// most one active alert per (rule, subject). The active alerts are persisted by the grain; the
/// streak counters are not (a new activation starts counting again).
/// </summary>
internal sealed class AlertTracker
{
    private readonly Dictionary<(string Rule, string Subject), Track> _tracks = [];

    public AlertTracker(IEnumerable<AlertRecord> active)
    {
        foreach (var alert in active) _tracks[(alert.Rule, alert.Subject)] = new Track { Active = alert };
    }

    public IReadOnlyList<AlertRecord> Active =>
        _tracks.Values.Where(t => t.Active is not null).Select(t => t.Active!).OrderBy(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<AlertTransition> Apply(AlertRule rule, RuleEvaluation evaluation, DateTimeOffset now, Func<string> newId)
    {
        var transitions = new List<AlertTransition>();
        if (!evaluation.HasData) return transitions;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reading in evaluation.Readings)
        {
            if (!seen.Add(reading.Subject) || reading.Value is not { } value) continue;
            var key = (rule.Name, reading.Subject);
            if (!_tracks.TryGetValue(key, out var track)) _tracks[key] = track = new Track();
            Step(rule, track, reading.Subject, value, reading.Message, now, newId, transitions);
        }

        foreach (var (key, track) in _tracks.Where(t => t.Key.Rule == rule.Name && !seen.Contains(t.Key.Subject)).ToList())
        {
            if (track.Active is null)
            {
                _tracks.Remove(key);
                continue;
            }

            // The subject is no longer reported (a silo that left): that counts as clear.
            Step(rule, track, key.Subject, double.NegativeInfinity, $"{key.Subject} is no longer reported", now, newId, transitions);
        }

        foreach (var key in _tracks.Where(t => t.Key.Rule == rule.Name && t.Value is { Active: null, Over: 0 }).Select(t => t.Key).ToList())
            _tracks.Remove(key);
        return transitions;
    }

    /// <summary>Resolves every alert of a rule that is switched off.</summary>
    public IReadOnlyList<AlertTransition> ResolveAll(string ruleName, DateTimeOffset now)
    {
        var transitions = new List<AlertTransition>();
        foreach (var (key, track) in _tracks.Where(t => t.Key.Rule == ruleName).ToList())
        {
            if (track.Active is { } active)
                transitions.Add(new AlertTransition(AlertTransitionKind.Resolved, active with { ResolvedAt = now }, null, $"The {ruleName} rule is switched off"));
            _tracks.Remove(key);
        }

        return transitions;
    }

    private static void Step(AlertRule rule, Track track, string subject, double value, string message, DateTimeOffset now,
        Func<string> newId, List<AlertTransition> transitions)
    {
        var options = rule.Options;
        if (value >= options.Threshold)
        {
            track.Over++;
            track.Under = 0;
            if (track.Active is null && track.Over >= options.RaiseAfter)
            {
                track.Active = new AlertRecord
                {
                    Id = newId(),
                    Rule = rule.Name,
                    Severity = options.Severity,
                    Subject = subject,
                    Message = message,
                    Value = value,
                    Threshold = options.Threshold,
                    RaisedAt = now,
                };
                transitions.Add(new AlertTransition(AlertTransitionKind.Raised, track.Active, value, message));
            }
        }
        else if (value < options.ResolveBelow)
        {
            track.Under++;
            track.Over = 0;
            if (track.Active is { } active && track.Under >= options.ResolveAfter)
            {
                track.Active = null;
                track.Under = 0;
                transitions.Add(new AlertTransition(AlertTransitionKind.Resolved, active with { ResolvedAt = now },
                    double.IsFinite(value) ? value : null, message));
            }
        }
        else
        {
            // Between the resolve level and the threshold: neither streak goes on.
            track.Over = 0;
            track.Under = 0;
        }
    }

    private sealed class Track
    {
        public AlertRecord? Active { get; set; }
        public int Over { get; set; }
        public int Under { get; set; }
    }
}

public enum AlertTransitionKind
{
    Raised,
    Resolved,
}

/// <summary>
/// An alert that was just raised or resolved, as the handlers get it. <see cref="CurrentValue"/>
/// and <see cref="CurrentMessage"/> describe the evaluation that caused it (for a resolution, the
/// value that is now back to normal; null when the subject went away or the rule was switched off).
/// </summary>
public sealed record AlertTransition(AlertTransitionKind Kind, AlertRecord Alert, double? CurrentValue, string CurrentMessage);
