using System.Net;

namespace OpenClaw.Runtime;

/// <summary>
/// Everything about running as a cluster (configuration section <c>cluster</c>), shared by silos
/// and by client processes such as the edge. Each default is named here.
/// <para>
/// <b>Failure detection with the defaults</b>: a silo renews its lease every
/// <see cref="HeartbeatInterval"/> (1 s) and stops serving by itself when it could not renew it for
/// <see cref="LeaseDuration"/> (5 s). Each silo probes <see cref="ProbedSilos"/> peers every
/// <see cref="ProbeInterval"/> (1 s); after <see cref="MissedProbesLimit"/> (2) missed probes it votes
/// against the peer. A peer is declared dead once it has <see cref="VotesForDeathDeclaration"/>
/// (2, or every other live silo when fewer) live votes AND its lease is older than
/// <see cref="LeaseDuration"/>. So a crashed or frozen silo is declared dead 5 to 6 s after its last
/// heartbeat, everyone sees it within one <see cref="TableRefreshInterval"/> (1 s) more, and its
/// tenants can activate elsewhere: 6 to 8 s in all. A silo can never be declared dead while it may
/// still serve, because it stops serving at the same lease age that others wait for.
/// </para>
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "cluster";
    public const string DefaultClusterId = "openclaw";
    public const int DefaultSiloPort = 11111;
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultTableRefreshInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(1);
    public const int DefaultMissedProbesLimit = 2;
    public const int DefaultProbedSilos = 3;
    public const int DefaultVotesForDeathDeclaration = 2;
    public static readonly TimeSpan DefaultVoteExpiration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultDeadSiloRetention = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultReconnectDelayMin = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultReconnectDelayMax = TimeSpan.FromSeconds(5);
    public const int DefaultMaxFrameBytes = 32 * 1024 * 1024;
    public const long DefaultMaxQueuedBytesPerConnection = 128L * 1024 * 1024;
    public const int DefaultMaxForwardCount = 3;
    public const int DefaultDirectoryCacheSize = 200_000;
    public static readonly TimeSpan DefaultDrainNoticeDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Silos and clients of different clusters refuse each other's connections.</summary>
    public string ClusterId { get; set; } = DefaultClusterId;

    /// <summary>The port silos listen on for cluster traffic (other silos and clients). 0 picks a free one.</summary>
    public int SiloPort { get; set; } = DefaultSiloPort;

    /// <summary>Local address the cluster port binds to.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>The address other processes use to reach this silo (written to the membership table). Default: the first non-loopback IPv4 address, else 127.0.0.1.</summary>
    public string? AdvertisedHost { get; set; }

    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>A silo that could not renew its lease for this long stops serving; peers declare it dead no sooner.</summary>
    public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration;

    /// <summary>How often silos and clients check the table version (and reread the table when it changed).</summary>
    public TimeSpan TableRefreshInterval { get; set; } = DefaultTableRefreshInterval;

    public TimeSpan ProbeInterval { get; set; } = DefaultProbeInterval;

    public TimeSpan ProbeTimeout { get; set; } = DefaultProbeTimeout;

    /// <summary>Consecutive missed probes before a silo votes against a peer.</summary>
    public int MissedProbesLimit { get; set; } = DefaultMissedProbesLimit;

    /// <summary>How many peers each silo probes (its successors in address order).</summary>
    public int ProbedSilos { get; set; } = DefaultProbedSilos;

    /// <summary>Live votes needed to declare a silo dead (or every other live silo's, when there are fewer).</summary>
    public int VotesForDeathDeclaration { get; set; } = DefaultVotesForDeathDeclaration;

    public TimeSpan VoteExpiration { get; set; } = DefaultVoteExpiration;

    /// <summary>Dead rows are removed from the table after this long.</summary>
    public TimeSpan DeadSiloRetention { get; set; } = DefaultDeadSiloRetention;

    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>A new connection must introduce itself within this, or it is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = DefaultHandshakeTimeout;

    public TimeSpan ReconnectDelayMin { get; set; } = DefaultReconnectDelayMin;

    public TimeSpan ReconnectDelayMax { get; set; } = DefaultReconnectDelayMax;

    /// <summary>Largest frame accepted on a cluster connection; a larger one drops the connection.</summary>
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>Bytes a connection may have waiting to be sent; beyond it the peer is not reading and the connection is dropped.</summary>
    public long MaxQueuedBytesPerConnection { get; set; } = DefaultMaxQueuedBytesPerConnection;

    /// <summary>How many times a message may be forwarded between silos before it is answered with a retryable error.</summary>
    public int MaxForwardCount { get; set; } = DefaultMaxForwardCount;

    /// <summary>Directory entries each process caches.</summary>
    public int DirectoryCacheSize { get; set; } = DefaultDirectoryCacheSize;

    /// <summary>A draining silo keeps serving this long after marking itself ShuttingDown, so that every client and silo has seen it.</summary>
    public TimeSpan DrainNoticeDelay { get; set; } = DefaultDrainNoticeDelay;

    /// <summary>Longest a drain may take before the silo leaves anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = DefaultDrainTimeout;

    /// <summary>Records every activation in an audit table (tests count duplicate activations with it).</summary>
    public bool ActivationAudit { get; set; }

    internal IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterId) || ClusterId.Length > 128) yield return "cluster:clusterId must be 1-128 characters.";
        if (SiloPort is < 0 or > 65535) yield return "cluster:siloPort must be 0-65535.";
        if (!IPAddress.TryParse(ListenAddress, out _)) yield return $"cluster:listenAddress '{ListenAddress}' is not an IP address.";
        if (HeartbeatInterval <= TimeSpan.Zero) yield return "cluster:heartbeatInterval must be positive.";
        if (LeaseDuration < 3 * HeartbeatInterval)
            yield return $"cluster:leaseDuration ({LeaseDuration}) must be at least 3 x heartbeatInterval ({HeartbeatInterval}): one late heartbeat must not stop a silo.";
        if (TableRefreshInterval <= TimeSpan.Zero) yield return "cluster:tableRefreshInterval must be positive.";
        if (ProbeInterval <= TimeSpan.Zero) yield return "cluster:probeInterval must be positive.";
        if (ProbeTimeout <= TimeSpan.Zero) yield return "cluster:probeTimeout must be positive.";
        if (MissedProbesLimit < 1) yield return "cluster:missedProbesLimit must be at least 1.";
        if (ProbedSilos < 1) yield return "cluster:probedSilos must be at least 1.";
        if (VotesForDeathDeclaration < 1) yield return "cluster:votesForDeathDeclaration must be at least 1.";
        if (VoteExpiration < ProbeInterval * MissedProbesLimit * 2)
            yield return "cluster:voteExpiration must be at least twice probeInterval x missedProbesLimit, or votes expire before they can add up.";
        if (DeadSiloRetention <= TimeSpan.Zero) yield return "cluster:deadSiloRetention must be positive.";
        if (ConnectTimeout <= TimeSpan.Zero) yield return "cluster:connectTimeout must be positive.";
        if (HandshakeTimeout <= TimeSpan.Zero) yield return "cluster:handshakeTimeout must be positive.";
        if (ReconnectDelayMin <= TimeSpan.Zero || ReconnectDelayMax < ReconnectDelayMin)
            yield return "cluster:reconnectDelayMin must be positive and at most reconnectDelayMax.";
        if (MaxFrameBytes < 64 * 1024) yield return "cluster:maxFrameBytes must be at least 64 KiB.";
        if (MaxQueuedBytesPerConnection < MaxFrameBytes) yield return "cluster:maxQueuedBytesPerConnection must be at least maxFrameBytes.";
        if (MaxForwardCount < 1) yield return "cluster:maxForwardCount must be at least 1.";
        if (DirectoryCacheSize < 1) yield return "cluster:directoryCacheSize must be at least 1.";
        if (DrainNoticeDelay < TimeSpan.Zero) yield return "cluster:drainNoticeDelay must not be negative.";
        if (DrainTimeout <= TimeSpan.Zero) yield return "cluster:drainTimeout must be positive.";
    }
}
