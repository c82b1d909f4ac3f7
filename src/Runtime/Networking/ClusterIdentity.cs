namespace OpenClaw.Runtime;

/// <summary>Who this process is on the cluster's connections: a silo (with its address) or a client (with its id).</summary>
internal sealed class ClusterIdentity
{
    private ClusterIdentity(ConnectionRole role, string id, SiloAddress? silo)
    {
        Role = role;
        Id = id;
        Silo = silo;
    }

    public ConnectionRole Role { get; }

    /// <summary>The silo address (as text) or the client id; prefixes the keys of this process's observers.</summary>
    public string Id { get; }

    public SiloAddress? Silo { get; }

    public static ClusterIdentity ForSilo(SiloAddress silo) => new(ConnectionRole.Silo, silo.ToString(), silo);

    public static ClusterIdentity ForClient(string clientId)
    {
        if (!IsValidClientId(clientId)) throw new ArgumentException($"'{clientId}' is not a valid client id (1-128 letters, digits, '-', '_', '.').", nameof(clientId));
        return new(ConnectionRole.Client, clientId, null);
    }

    public static bool IsValidClientId(string? clientId) =>
        clientId is { Length: > 0 and <= 128 } && clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
