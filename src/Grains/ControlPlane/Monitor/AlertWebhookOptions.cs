namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// One webhook (<c>monitor:webhooks:N</c>): alerts are POSTed to <see cref="Url"/> as JSON, signed
/// with <see cref="Secret"/> (see docs/operations-alerts.md). The URL is the operator's own
/// configuration; only http and https are accepted, and it never appears in logs beyond its host
/// (Slack's webhook URLs carry their secret in the path).
/// </summary>
public sealed class AlertWebhookOptions
{
    public const int MinSecretLength = 16;

    public string? Url { get; set; }

    /// <summary>Key of the HMAC-SHA256 signature; required for the <c>json</c> format.</summary>
    public string? Secret { get; set; }

    public AlertWebhookFormat Format { get; set; } = AlertWebhookFormat.Json;
}

public enum AlertWebhookFormat
{
    /// <summary>The alert as JSON (<c>{"event":"alert.raised","alert":{…}}</c>).</summary>
    Json,

    /// <summary>A Slack incoming-webhook message (<c>{"text":…,"blocks":[…]}</c>).</summary>
    Slack,
}

/// <summary>How webhook deliveries are queued and retried (<c>monitor:delivery</c>).</summary>
public sealed class WebhookDeliveryOptions
{
    public const int DefaultQueueCapacity = 1_000;
    public const int DefaultMaxAttempts = 5;
    public const int DefaultInitialBackoffMs = 1_000;
    public const int DefaultMaxBackoffMs = 60_000;
    public const int DefaultRequestTimeoutMs = 10_000;

    /// <summary>Deliveries waiting per webhook; when full, new ones are dropped (counted and logged).</summary>
    public int QueueCapacity { get; set; } = DefaultQueueCapacity;

    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>Wait before the second attempt; doubled for each further one, up to <see cref="MaxBackoffMs"/>.</summary>
    public int InitialBackoffMs { get; set; } = DefaultInitialBackoffMs;

    public int MaxBackoffMs { get; set; } = DefaultMaxBackoffMs;

    /// <summary>Deadline of one attempt (connect, send, response headers).</summary>
    public int RequestTimeoutMs { get; set; } = DefaultRequestTimeoutMs;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    internal TimeSpan BackoffAfter(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(InitialBackoffMs * factor, MaxBackoffMs));
    }
}
