namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// The tenant's <c>heartbeat</c> config (<c>config.patch</c> key <c>heartbeat</c>): a periodic agent turn
/// in the main session. Off unless <see cref="Enabled"/> (also set by <c>set-heartbeats</c>): a host of many
/// tenants does not wake every one of them every half hour by default.
/// </summary>
public sealed class HeartbeatConfig
{
    public bool? Enabled { get; set; }

    /// <summary>The cadence as written (<c>"30m"</c>, <c>"1h"</c>; <c>"0m"</c> turns the cadence off); null: the default.</summary>
    public string? Every { get; set; }

    /// <summary>The heartbeat's user message; null: the default heartbeat prompt.</summary>
    public string? Prompt { get; set; }

    public bool? LightContext { get; set; }

    public HeartbeatConfig Copy() => new() { Enabled = Enabled, Every = Every, Prompt = Prompt, LightContext = LightContext };
}
