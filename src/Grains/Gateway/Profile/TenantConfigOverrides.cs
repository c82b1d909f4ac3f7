using System.Text.Json.Serialization;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// What the tenant changed with <c>config.patch</c>, on top of the <c>TenantConfig</c> of its
/// tenant record. A null field means "use the tenant record's value".
/// </summary>
public sealed class TenantConfigOverrides
{
    public string? Provider { get; set; }

    public string? Model { get; set; }

    public string? ApiKey { get; set; }

    public string? BaseUrl { get; set; }

    public string? AgentName { get; set; }

    public string? SystemPrompt { get; set; }

    /// <summary>IANA time zone for the prompt's date (<c>userTimezone</c>).</summary>
    public string? UserTimezone { get; set; }

    /// <summary>The tenant's tool policy (<c>tools</c>: profile, allow, deny).</summary>
    public ToolsConfig? Tools { get; set; }

    /// <summary>The tenant's heartbeat (null: off).</summary>
    public Cron.HeartbeatConfig? Heartbeat { get; set; }
    /// <summary><c>tools.exec.ask</c>: <c>off</c>, <c>on-miss</c> or <c>always</c> (null: off).</summary>
    public string? ExecAsk { get; set; }

    /// <summary><c>tools.exec.node</c>: the node id <c>exec</c> runs on (null: the sole connected node).</summary>
    public string? ExecNode { get; set; }

    [JsonIgnore]
    public bool IsEmpty =>
        Provider is null && Model is null && ApiKey is null && BaseUrl is null && AgentName is null && SystemPrompt is null
        && UserTimezone is null && Tools is null && Heartbeat is null
        && ExecAsk is null && ExecNode is null;
}
