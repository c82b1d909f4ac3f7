namespace OpenClaw.Runtime.Client;

/// <summary>
/// Settings of a process that calls grains without hosting them (section <c>client</c>); the
/// cluster-wide ones (cluster id, timeouts, refresh interval) come from <see cref="ClusterOptions"/>.
/// </summary>
public sealed class ClusterClientOptions
{
    public const string SectionName = "client";

    /// <summary>This process's id on the cluster (letters, digits, '-', '_', '.'); default: a name from the host name and a random suffix.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The silo (<c>host:port</c>) this client sends calls for grains it has not located yet; when
    /// empty, or when that silo is not serving, one serving silo chosen at random. Once a grain
    /// answered, calls go straight to the silo that holds it.
    /// </summary>
    public string? PreferredGateway { get; set; }

    /// <summary>How long a call may take before it fails with a timeout (outcome unknown).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal IEnumerable<string> Validate()
    {
        if (ClientId is not null && !ClusterIdentity.IsValidClientId(ClientId)) yield return "client:clientId must be 1-128 letters, digits, '-', '_' or '.'.";
        if (ResponseTimeout <= TimeSpan.Zero) yield return "client:responseTimeout must be positive.";
    }
}
