namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>A change to the tenant's jobs could not be stored, so it was undone; retryable.</summary>
internal sealed class CronUnavailableException(string message) : Exception(message);
