using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>Refuses monitor settings that cannot work (checked at startup).</summary>
public sealed class MonitorOptionsValidator : IValidateOptions<MonitorOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = MonitorOptions.SectionName;
        var failures = new List<string>();
        if (options.IntervalMs is < 1_000 or > 86_400_000)
            failures.Add($"{section}:intervalMs must be between 1000 (1 s) and 86400000 (1 day), not {options.IntervalMs}.");
        if (options.HistoryLimit is < 1 or > MonitorOptions.MaxHistoryLimit)
            failures.Add($"{section}:historyLimit must be between 1 and {MonitorOptions.MaxHistoryLimit}, not {options.HistoryLimit}.");
        if (options.ReadTimeoutMs is < 100 or > 600_000)
            failures.Add($"{section}:readTimeoutMs must be between 100 and 600000, not {options.ReadTimeoutMs}.");

        foreach (var (path, rule) in options.Rules.All())
        {
            var prefix = $"{section}:rules:{path}";
            if (!double.IsFinite(rule.Threshold) || rule.Threshold <= 0)
                failures.Add($"{prefix}: the threshold must be a positive number, not {rule.Threshold}.");
            if (rule.RaiseAfter is < 1 or > AlertRuleOptions.MaxEvaluations)
                failures.Add($"{prefix}:raiseAfter must be between 1 and {AlertRuleOptions.MaxEvaluations} evaluations, not {rule.RaiseAfter}.");
            if (rule.ResolveAfter is < 1 or > AlertRuleOptions.MaxEvaluations)
                failures.Add($"{prefix}:resolveAfter must be between 1 and {AlertRuleOptions.MaxEvaluations} evaluations, not {rule.ResolveAfter}.");
            if (!double.IsFinite(rule.ResolveMarginPercent) || rule.ResolveMarginPercent is < 0 or >= 100)
                failures.Add($"{prefix}:resolveMarginPercent must be at least 0 and below 100, not {rule.ResolveMarginPercent}.");
            if (!Enum.IsDefined(rule.Severity))
                failures.Add($"{prefix}:severity must be Info, Warning or Critical.");
        }

        if (options.Rules.ActiveRatio.ThresholdPercent > 100)
            failures.Add($"{section}:rules:activeRatio:thresholdPercent is a share of the activation cap: at most 100, not {options.Rules.ActiveRatio.ThresholdPercent}.");
        if (options.Rules.ErrorRate.ThresholdPercent > 100)
            failures.Add($"{section}:rules:errorRate:thresholdPercent is a share of the calls: at most 100, not {options.Rules.ErrorRate.ThresholdPercent}.");
        if (options.Rules.ErrorRate.MinimumCalls < 1)
            failures.Add($"{section}:rules:errorRate:minimumCalls must be at least 1, not {options.Rules.ErrorRate.MinimumCalls}.");

        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var webhook = options.Webhooks[i];
            var prefix = $"{section}:webhooks:{i}";
            if (!TryParseWebhookUrl(webhook.Url, out _))
                failures.Add($"{prefix}:url must be an absolute http:// or https:// URL without user name or password.");
            if (!Enum.IsDefined(webhook.Format))
                failures.Add($"{prefix}:format must be 'json' or 'slack'.");
            if (webhook.Format == AlertWebhookFormat.Json && (webhook.Secret?.Length ?? 0) < AlertWebhookOptions.MinSecretLength)
                failures.Add($"{prefix}:secret is required for the json format, at least {AlertWebhookOptions.MinSecretLength} characters (receivers verify the signature with it).");
            else if (webhook.Secret is { Length: > 0 and < AlertWebhookOptions.MinSecretLength })
                failures.Add($"{prefix}:secret must be at least {AlertWebhookOptions.MinSecretLength} characters.");
        }

        var delivery = options.Delivery;
        if (delivery.QueueCapacity is < 1 or > 100_000)
            failures.Add($"{section}:delivery:queueCapacity must be between 1 and 100000, not {delivery.QueueCapacity}.");
        if (delivery.MaxAttempts is < 1 or > 20)
            failures.Add($"{section}:delivery:maxAttempts must be between 1 and 20, not {delivery.MaxAttempts}.");
        if (delivery.InitialBackoffMs is < 1 or > 3_600_000)
            failures.Add($"{section}:delivery:initialBackoffMs must be between 1 and 3600000, not {delivery.InitialBackoffMs}.");
        if (delivery.MaxBackoffMs < delivery.InitialBackoffMs || delivery.MaxBackoffMs > 3_600_000)
            failures.Add($"{section}:delivery:maxBackoffMs must be at least initialBackoffMs and at most 3600000, not {delivery.MaxBackoffMs}.");
        if (delivery.RequestTimeoutMs is < 100 or > 300_000)
            failures.Add($"{section}:delivery:requestTimeoutMs must be between 100 and 300000, not {delivery.RequestTimeoutMs}.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An absolute http(s) URL with a host and no user info.</summary>
    internal static bool TryParseWebhookUrl(string? url, out Uri uri)
    {
        uri = null!;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var parsed)) return false;
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps) return false;
        if (string.IsNullOrEmpty(parsed.Host) || !string.IsNullOrEmpty(parsed.UserInfo)) return false;
        uri = parsed;
        return true;
    }
}
