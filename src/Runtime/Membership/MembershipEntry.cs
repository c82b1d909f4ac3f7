namespace OpenClaw.Runtime;

/// <summary>One silo's row of the membership table.</summary>
public sealed record MembershipEntry
{
    public required SiloAddress Silo { get; init; }

    public required SiloStatus Status { get; init; }

    /// <summary>The machine's host name, for operators.</summary>
    public string HostName { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the silo last renewed its lease (database time).</summary>
    public DateTimeOffset IAmAliveAt { get; init; }

    /// <summary>Live activations the silo reported with its last heartbeat (the load placement looks at).</summary>
    public int ActivationCount { get; init; }

    /// <summary>Suspicion votes against this silo that have not expired: who voted, when (database time).</summary>
    public IReadOnlyList<SuspicionVote> Suspicions { get; init; } = [];

    public bool IsServing => Status is SiloStatus.Active or SiloStatus.ShuttingDown;
}

/// <summary>A vote by <paramref name="Voter"/> that a silo is not answering its probes.</summary>
public sealed record SuspicionVote(SiloAddress Voter, DateTimeOffset At);
