namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// The UserGrain's <c>cron</c> record: the tenant's jobs, their recent runs, the heartbeat's switch and
/// schedule, and the system events waiting for the next heartbeat. Every list is bounded by <see cref="CronOptions"/>.
/// </summary>
public sealed class CronStoreState
{
    public List<CronJob> Jobs { get; set; } = [];

    /// <summary>Recent runs of every job, oldest first.</summary>
    public List<CronRunRecord> Runs { get; set; } = [];

    /// <summary>When the heartbeat is next due (null: not scheduled).</summary>
    public long? NextHeartbeatAtMs { get; set; }

    /// <summary>The cadence <see cref="NextHeartbeatAtMs"/> was computed with (a change of cadence reschedules, other config changes do not).</summary>
    public long? HeartbeatEveryMs { get; set; }

    /// <summary>The last <c>heartbeat</c> event's payload (JSON), for <c>last-heartbeat</c>.</summary>
    public string? LastHeartbeatJson { get; set; }

    /// <summary>Texts of <c>wake</c>, <c>system-event</c> and system-event jobs, given to the next heartbeat run.</summary>
    public List<string> PendingSystemEvents { get; set; } = [];
}

/// <summary>One scheduled job of a tenant (the protocol's <c>CronJob</c>).</summary>
public sealed class CronJob
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public CronSchedule Schedule { get; set; } = new();

    /// <summary><c>main</c>, <c>isolated</c> or <c>session:&lt;key&gt;</c>.</summary>
    public string SessionTarget { get; set; } = CronJobRules.TargetIsolated;

    /// <summary><c>now</c> or <c>next-heartbeat</c>.</summary>
    public string WakeMode { get; set; } = CronJobRules.WakeNow;

    public CronPayload Payload { get; set; } = new();

    public bool Enabled { get; set; } = true;

    public bool DeleteAfterRun { get; set; }

    public long CreatedAtMs { get; set; }

    public long UpdatedAtMs { get; set; }

    public CronJobState State { get; set; } = new();
}

/// <summary><c>{kind:"at", at}</c> | <c>{kind:"every", everyMs, anchorMs?}</c> | <c>{kind:"cron", expr, tz?}</c>.</summary>
public sealed class CronSchedule
{
    public string Kind { get; set; } = "";

    /// <summary><c>at</c>: epoch ms.</summary>
    public long? AtMs { get; set; }

    public long? EveryMs { get; set; }

    public long? AnchorMs { get; set; }

    public string? Expr { get; set; }

    /// <summary>IANA time zone of a <c>cron</c> expression (null: UTC).</summary>
    public string? Tz { get; set; }
}

/// <summary><c>{kind:"systemEvent", text}</c> | <c>{kind:"agentTurn", message, timeoutSeconds?, model?, thinking?, lightContext?}</c>.</summary>
public sealed class CronPayload
{
    public string Kind { get; set; } = "";

    public string? Text { get; set; }

    public string? Message { get; set; }

    public int? TimeoutSeconds { get; set; }

    public string? Model { get; set; }

    public string? Thinking { get; set; }

    public bool? LightContext { get; set; }
}

public sealed class CronJobState
{
    public long? NextRunAtMs { get; set; }

    public long? LastRunAtMs { get; set; }

    /// <summary><c>ok</c>, <c>error</c> or <c>skipped</c>.</summary>
    public string? LastRunStatus { get; set; }

    public string? LastError { get; set; }

    public long? LastDurationMs { get; set; }

    /// <summary>The run in progress, if any.</summary>
    public string? RunningRunId { get; set; }

    public long? RunningAtMs { get; set; }

    public int ConsecutiveErrors { get; set; }
}

/// <summary>One run of a job, as <c>cron.runs</c> reports it.</summary>
public sealed class CronRunRecord
{
    public string RunId { get; set; } = "";

    public string JobId { get; set; } = "";

    public string? JobName { get; set; }

    /// <summary>When the run was due (or asked for).</summary>
    public long RunAtMs { get; set; }

    public long? StartedAtMs { get; set; }

    public long? EndedAtMs { get; set; }

    /// <summary><c>running</c>, <c>ok</c>, <c>error</c> or <c>skipped</c>.</summary>
    public string Status { get; set; } = "";

    public string? Error { get; set; }

    public string? SessionKey { get; set; }

    /// <summary>The start of the agent's answer.</summary>
    public string? Summary { get; set; }

    /// <summary><c>schedule</c>, <c>due</c> or <c>force</c>.</summary>
    public string Trigger { get; set; } = "schedule";
}
