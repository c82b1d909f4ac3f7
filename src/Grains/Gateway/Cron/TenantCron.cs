using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// One tenant's scheduled jobs and heartbeat: the store (the grain's <c>cron</c> record), running what
/// is due through the normal run machinery, the run history, the <c>cron</c> and <c>heartbeat</c>
/// events, and keeping the tenant's single durable wake-up (<see cref="ITenantSchedule"/>) at the
/// earliest due time. Used on the activation's turns only.
/// </summary>
internal sealed class TenantCron
{
    public const string CronEvent = "cron";
    public const string HeartbeatEvent = "heartbeat";
    public const int SummaryChars = 200;
    public const int MaxErrorChars = 500;

    private readonly GatewayContext _context;
    private DateTimeOffset? _scheduled;
    private bool _scheduleKnown;
    private bool _recovered;
    private bool _ticking;
    private string? _heartbeatRunId;
    private long? _lastWakeRunMs;

    public TenantCron(GatewayContext context)
    {
        _context = context;
        Rules = new CronJobRules(context);
    }

    public CronJobRules Rules { get; }

    private CronOptions Options => _context.Options.Cron;

    /// <summary>The store, with runs a restart interrupted marked as such (once per activation).</summary>
    public CronStoreState State
    {
        get
        {
            var state = _context.State.Cron;
            if (!_recovered)
            {
                _recovered = true;
                RecoverInterrupted(state);
            }

            return state;
        }
    }

    public CronJob? Find(string id) => State.Jobs.FirstOrDefault(job => job.Id == id);

    /// <summary>The job, or a params error naming the id (another tenant's job ids are simply unknown here).</summary>
    public CronJob Require(string id) => Find(id) ?? throw new GatewayParamsException($"unknown cron job id \"{CronText.Clip(id, 80)}\"");

    /// <summary>The heartbeat's cadence, or null when heartbeats are off.</summary>
    public TimeSpan? HeartbeatCadence => HeartbeatPatch.Cadence(_context.State.Profile.Config.Heartbeat, Options);

    /// <summary>When the tenant is next woken: its earliest enabled job or heartbeat.</summary>
    public long? NextWakeAtMs
    {
        get
        {
            long? next = HeartbeatCadence is null ? null : State.NextHeartbeatAtMs;
            foreach (var job in State.Jobs)
            {
                if (job.Enabled && job.State.NextRunAtMs is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }

            return next;
        }
    }

    public async Task<CronJob> AddAsync(JsonElement spec, SessionKey? currentSession = null)
    {
        var state = State;
        if (state.Jobs.Count >= Options.MaxJobs)
        {
            throw new GatewayParamsException($"this tenant already has {Options.MaxJobs} cron jobs, the most allowed; remove one first");
        }

        var now = _context.NowMs();
        var job = Rules.Create(spec, now, currentSession);
        job.State.NextRunAtMs = CronTimes.Next(job, now, Options.MinInterval);
        state.Jobs.Add(job);
        await CommitAsync("cron.add", () => state.Jobs.Remove(job));
        PublishCron(job.Id, "added", job);
        await RescheduleAsync();
        return job;
    }

    public async Task<CronJob> UpdateAsync(string id, JsonElement patch, SessionKey? currentSession = null)
    {
        var state = State;
        var job = Require(id);
        var now = _context.NowMs();
        var updated = Rules.Patch(job, patch, now, currentSession);
        if (!SameSchedule(job, updated) || job.Enabled != updated.Enabled)
        {
            if (!SameSchedule(job, updated) && updated.Schedule.Kind == CronJobRules.ScheduleAt)
            {
                updated.State.LastRunAtMs = null; // a new time for a one-shot job: it runs again
            }

            updated.State.NextRunAtMs = CronTimes.Next(updated, now, Options.MinInterval);
        }

        var index = state.Jobs.IndexOf(job);
        state.Jobs[index] = updated;
        await CommitAsync("cron.update", () => state.Jobs[state.Jobs.IndexOf(updated)] = job);
        PublishCron(updated.Id, "updated", updated);
        await RescheduleAsync();
        return updated;
    }

    public async Task RemoveAsync(string id)
    {
        var state = State;
        var job = Require(id);
        var index = state.Jobs.IndexOf(job);
        state.Jobs.RemoveAt(index);
        await CommitAsync("cron.remove", () => state.Jobs.Insert(Math.Min(index, state.Jobs.Count), job));
        PublishCron(job.Id, "removed", job: null);
        await RescheduleAsync();
    }

    /// <summary>
    /// <c>cron.run</c>: <c>force</c> starts the job now (enabled or not), <c>due</c> only when it is due.
    /// Returns the run record (null when it was not due).
    /// </summary>
    public async Task<CronRunRecord?> RunAsync(string id, bool force)
    {
        var job = Require(id);
        var now = _context.NowMs();
        if (!force && (!job.Enabled || job.State.NextRunAtMs is not { } due || due > now))
        {
            return null;
        }

        var record = await StartJobAsync(job, now, force ? "force" : "due");
        await _context.TrySaveAsync("cron.run");
        await RescheduleAsync();
        return record;
    }

    /// <summary>Run records, newest first, for one job and/or one run id.</summary>
    public IReadOnlyList<CronRunRecord> Runs(string? jobId, string? runId, int limit) =>
        State.Runs
            .Where(run => (jobId is null || run.JobId == jobId) && (runId is null || run.RunId == runId))
            .Reverse()
            .Take(limit)
            .ToList();

    /// <summary>The reminder fired (or the tenant was told to look): runs every due job and a due heartbeat, then re-arms the reminder.</summary>
    public async Task TickAsync()
    {
        if (_ticking)
        {
            return;
        }

        _ticking = true;
        try
        {
            var now = _context.NowMs();
            foreach (var job in State.Jobs.Where(job => job.Enabled && job.State.NextRunAtMs <= now).OrderBy(job => job.State.NextRunAtMs).ToList())
            {
                if (State.Jobs.Contains(job))
                {
                    await StartJobAsync(job, job.State.NextRunAtMs!.Value, "schedule");
                }
            }

            if (HeartbeatCadence is { } cadence && State.NextHeartbeatAtMs <= now)
            {
                State.NextHeartbeatAtMs = now + (long)cadence.TotalMilliseconds;
                _context.State.MarkCronDirty();
                await RunHeartbeatAsync("interval");
            }

            await _context.TrySaveAsync("cron tick");
        }
        finally
        {
            _ticking = false;
        }

        await RescheduleAsync();
    }

    /// <summary>After activation: makes sure the reminder matches the stored jobs (a crash may have left it behind).</summary>
    public async Task ActivatedAsync()
    {
        if (HeartbeatCadence is { } cadence && State.NextHeartbeatAtMs is null)
        {
            // Enabled by an import or an older version: the first heartbeat is one cadence from now.
            State.HeartbeatEveryMs = (long)cadence.TotalMilliseconds;
            State.NextHeartbeatAtMs = _context.NowMs() + State.HeartbeatEveryMs;
            _context.State.MarkCronDirty();
        }

        if (State.Jobs.Count > 0 || State.NextHeartbeatAtMs is not null)
        {
            await RescheduleAsync(force: true);
        }
    }

    /// <summary>Sets the reminder to the earliest due time (or removes it); only calls the registry when that changed.</summary>
    public async Task RescheduleAsync(bool force = false)
    {
        if (_context.Schedule is not { } schedule)
        {
            return;
        }

        var nextMs = NextWakeAtMs;
        DateTimeOffset? next = nextMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        if (!force && _scheduleKnown && next == _scheduled)
        {
            return;
        }

        try
        {
            await schedule.ScheduleAsync(next);
            _scheduled = next;
            _scheduleKnown = true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _scheduleKnown = false;
            CronLog.ScheduleFailed(_context.Logger, _context.TenantId, exception);
        }
    }

    // ---- heartbeat ----

    /// <summary>The heartbeat config or <c>set-heartbeats</c> changed: starts, moves or stops the heartbeat's schedule.</summary>
    public async Task HeartbeatConfigChangedAsync()
    {
        long? everyMs = HeartbeatCadence is { } cadence ? (long)cadence.TotalMilliseconds : null;
        if (State.HeartbeatEveryMs != everyMs || (everyMs is not null && State.NextHeartbeatAtMs is null))
        {
            State.HeartbeatEveryMs = everyMs;
            State.NextHeartbeatAtMs = everyMs is { } every ? _context.NowMs() + every : null;
            _context.State.MarkCronDirty();
            await _context.TrySaveAsync("heartbeat schedule");
        }

        await RescheduleAsync();
    }

    /// <summary><c>wake</c> / <c>system-event</c>: queues <paramref name="text"/> for the next heartbeat; <c>now</c> runs that heartbeat at once.</summary>
    public async Task WakeAsync(string? text, bool now, string reason)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            EnqueueSystemEvent(text);
            await _context.TrySaveAsync(reason);
        }

        if (!now)
        {
            return;
        }

        var nowMs = _context.NowMs();
        if (_lastWakeRunMs is { } last && nowMs - last < (long)Options.MinWakeInterval.TotalMilliseconds)
        {
            PublishHeartbeat("skipped", "rate-limited", nowMs, preview: null); // the text waits for the next heartbeat
            return;
        }

        _lastWakeRunMs = nowMs;
        await RunHeartbeatAsync(reason);
    }

    /// <summary>Starts a heartbeat run in the main session unless it is busy; the <c>heartbeat</c> event tells how it went.</summary>
    public async Task RunHeartbeatAsync(string reason)
    {
        var started = _context.NowMs();
        var main = _context.MainSessionKey;
        if (_context.Runs.IsSessionBusy(main.Value) || (_heartbeatRunId is { } running && _context.Runs.FindActive(running) is not null))
        {
            PublishHeartbeat("skipped", "requests-in-flight", started, preview: null);
            return;
        }

        var config = _context.State.Profile.Config.Heartbeat;
        var prompt = HeartbeatPrompt(config?.Prompt ?? Options.HeartbeatPrompt, State.PendingSystemEvents);
        var cadence = HeartbeatCadence ?? Options.MaxHeartbeatRunTime;
        var timeout = cadence < Options.MaxHeartbeatRunTime ? cadence : Options.MaxHeartbeatRunTime;
        var runId = Guid.NewGuid().ToString();
        var reply = await RunStarter.StartAsync(_context, SyntheticCall("heartbeat"), runId, main, prompt, RunKind.Agent,
            (long)timeout.TotalMilliseconds, AcceptedPayload, isHeartbeat: true);
        if (!reply.Ok)
        {
            PublishHeartbeat("failed", reply.Error?.Message ?? "the heartbeat could not start", started, preview: null);
            return;
        }

        if (State.PendingSystemEvents.Count > 0)
        {
            State.PendingSystemEvents.Clear();
            _context.State.MarkCronDirty();
        }

        _heartbeatRunId = runId;
        CronLog.HeartbeatStarted(_context.Logger, _context.TenantId, runId, reason);
        if (_context.Runs.FindActive(runId) is { } run)
        {
            _ = WatchHeartbeatAsync(run, started);
        }
    }

    private async Task WatchHeartbeatAsync(ChatRun run, long started)
    {
        var outcome = await run.Completion;
        if (_heartbeatRunId == run.RunId)
        {
            _heartbeatRunId = null;
        }

        switch (outcome.Status)
        {
            case RunStatus.Ok when string.IsNullOrWhiteSpace(outcome.Text):
                PublishHeartbeat("ran", "no-reply", started, preview: null);
                break;
            case RunStatus.Ok:
                PublishHeartbeat("sent", reason: null, started, CronText.Clip(outcome.Text.Trim(), SummaryChars));
                break;
            default:
                PublishHeartbeat("failed", outcome.ErrorMessage ?? outcome.StopReason ?? "aborted", started, preview: null);
                break;
        }

        await _context.TrySaveAsync("heartbeat " + run.RunId);
    }

    private void EnqueueSystemEvent(string text)
    {
        var events = State.PendingSystemEvents;
        events.Add(text);
        if (events.Count > Options.MaxPendingSystemEvents)
        {
            events.RemoveRange(0, events.Count - Options.MaxPendingSystemEvents);
        }

        _context.State.MarkCronDirty();
    }

    private static string HeartbeatPrompt(string prompt, IReadOnlyList<string> systemEvents)
    {
        if (systemEvents.Count == 0)
        {
            return prompt;
        }

        var text = new System.Text.StringBuilder(prompt).Append("\n\nSystem events since the last heartbeat:");
        foreach (var systemEvent in systemEvents)
        {
            text.Append("\n- ").Append(systemEvent);
        }

        return text.ToString();
    }

    private void PublishHeartbeat(string status, string? reason, long startedMs, string? preview)
    {
        var now = _context.NowMs();
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteNumber("ts", now);
            writer.WriteString("status", status);
            if (reason is not null)
            {
                writer.WriteString("reason", CronText.Clip(reason, MaxErrorChars));
            }

            writer.WriteNumber("durationMs", Math.Max(0, now - startedMs));
            if (preview is not null)
            {
                writer.WriteString("preview", preview);
            }
        });
        State.LastHeartbeatJson = payload;
        _context.State.MarkCronDirty();
        _context.Events.Publish(new TenantEvent(HeartbeatEvent, payload));
    }

    // ---- job runs ----

    private async Task<CronRunRecord> StartJobAsync(CronJob job, long dueAtMs, string trigger)
    {
        var now = _context.NowMs();
        var record = new CronRunRecord
        {
            RunId = Guid.NewGuid().ToString(),
            JobId = job.Id,
            JobName = job.Name,
            RunAtMs = dueAtMs,
            StartedAtMs = now,
            Status = "running",
            Trigger = trigger,
        };
        job.State.LastRunAtMs = now;
        job.State.NextRunAtMs = CronTimes.Next(job, now, Options.MinInterval);
        _context.State.MarkCronDirty();
        AddRecord(record);

        if (job.State.RunningRunId is { } running && _context.Runs.FindActive(running) is not null)
        {
            EndRecord(job, record, "skipped", "the job's previous run is still in progress", summary: null);
            return record;
        }

        if (job.Payload.Kind == CronJobRules.PayloadSystemEvent)
        {
            PublishCron(job.Id, "started", job, record);
            EnqueueSystemEvent(job.Payload.Text ?? "");
            if (job.WakeMode == CronJobRules.WakeNow)
            {
                await RunHeartbeatAsync("cron:" + job.Id);
            }

            EndRecord(job, record, "ok", error: null, job.WakeMode == CronJobRules.WakeNow ? "system event sent; heartbeat woken" : "system event queued for the next heartbeat");
            return record;
        }

        var session = Rules.SessionOf(job);
        record.SessionKey = session.Value;
        job.State.RunningRunId = record.RunId;
        job.State.RunningAtMs = now;
        var timeoutMs = job.Payload.TimeoutSeconds is { } seconds ? seconds * 1000L : (long?)null;
        var reply = await RunStarter.StartAsync(_context, SyntheticCall("cron"), record.RunId, session, job.Payload.Message ?? "",
            RunKind.Agent, timeoutMs, AcceptedPayload);
        if (!reply.Ok)
        {
            job.State.RunningRunId = null;
            job.State.RunningAtMs = null;
            var retryable = reply.Error?.Retryable == true;
            if (retryable && Find(job.Id) is { Enabled: true } && job.Schedule.Kind == CronJobRules.ScheduleAt)
            {
                // Not run: an at job tries again shortly instead of being lost.
                job.State.LastRunAtMs = null;
                job.State.NextRunAtMs = now + (long)Options.RetryDelay.TotalMilliseconds;
            }

            EndRecord(job, record, retryable ? "skipped" : "error", reply.Error?.Message ?? "the run could not start", summary: null);
            return record;
        }

        CronLog.JobStarted(_context.Logger, _context.TenantId, job.Id, record.RunId, trigger);
        PublishCron(job.Id, "started", job, record);
        if (_context.Runs.FindActive(record.RunId) is { } run)
        {
            _ = WatchJobRunAsync(run, record);
        }

        return record;
    }

    private async Task WatchJobRunAsync(ChatRun run, CronRunRecord record)
    {
        var outcome = await run.Completion;
        var job = Find(record.JobId);
        var (status, error) = outcome.Status switch
        {
            RunStatus.Ok => ("ok", (string?)null),
            RunStatus.Error => ("error", outcome.ErrorMessage ?? "the run failed"),
            _ => ("error", $"aborted ({outcome.StopReason ?? "aborted"})"),
        };
        if (job is not null && job.State.RunningRunId == record.RunId)
        {
            job.State.RunningRunId = null;
            job.State.RunningAtMs = null;
        }

        EndRecord(job, record, status, error, CronText.Clip(outcome.Text.Trim(), SummaryChars));
        await _context.TrySaveAsync("cron run " + record.RunId);
        await RescheduleAsync();
    }

    /// <summary>Records how a run ended on its job and record, announces it, and removes a delete-after-run job that ran.</summary>
    private void EndRecord(CronJob? job, CronRunRecord record, string status, string? error, string? summary)
    {
        var now = _context.NowMs();
        record.Status = status;
        record.Error = CronText.Clip(error, MaxErrorChars);
        record.Summary = summary;
        record.EndedAtMs = now;
        if (job is not null)
        {
            job.State.LastRunStatus = status;
            job.State.LastError = record.Error;
            job.State.LastDurationMs = Math.Max(0, now - (record.StartedAtMs ?? now));
            job.State.ConsecutiveErrors = status == "error" ? job.State.ConsecutiveErrors + 1 : 0;
            if (job.Schedule.Kind == CronJobRules.ScheduleAt && job.State.NextRunAtMs is null && !(status == "ok" && job.DeleteAfterRun))
            {
                job.Enabled = false; // a one-shot job that ran is done
            }
        }

        _context.State.MarkCronDirty();
        PublishCron(record.JobId, "finished", job, record);
        if (job is not null && status == "ok" && job.DeleteAfterRun && job.State.NextRunAtMs is null && State.Jobs.Remove(job))
        {
            PublishCron(job.Id, "removed", job: null);
        }
    }

    private void AddRecord(CronRunRecord record)
    {
        var runs = State.Runs;
        runs.Add(record);
        var ofJob = runs.Where(run => run.JobId == record.JobId).ToList();
        foreach (var old in ofJob.Take(Math.Max(0, ofJob.Count - Options.MaxRunHistoryPerJob)))
        {
            runs.Remove(old);
        }

        if (runs.Count > Options.MaxRunHistory)
        {
            runs.RemoveRange(0, runs.Count - Options.MaxRunHistory);
        }
    }

    /// <summary>Runs recorded as running whose run is not in progress here were cut off by a restart.</summary>
    private void RecoverInterrupted(CronStoreState state)
    {
        foreach (var record in state.Runs.Where(run => run.Status == "running" && _context.Runs.FindActive(run.RunId) is null))
        {
            record.Status = "error";
            record.Error = "interrupted by a restart";
            record.EndedAtMs ??= record.StartedAtMs;
            _context.State.MarkCronDirty();
        }

        foreach (var job in state.Jobs.Where(job => job.State.RunningRunId is { } id && _context.Runs.FindActive(id) is null))
        {
            job.State.RunningRunId = null;
            job.State.RunningAtMs = null;
            _context.State.MarkCronDirty();
        }
    }

    // ---- helpers ----

    private async Task CommitAsync(string reason, Action undo)
    {
        _context.State.MarkCronDirty();
        if (!await _context.TrySaveAsync(reason))
        {
            undo();
            throw new CronUnavailableException("the change to the cron jobs could not be stored, so it was not made; try again");
        }
    }

    private void PublishCron(string jobId, string action, CronJob? job, CronRunRecord? run = null)
    {
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("jobId", jobId);
            writer.WriteString("action", action);
            if (job is not null)
            {
                writer.WritePropertyName("job");
                CronWriter.WriteJob(writer, job);
            }

            if (run is not null)
            {
                writer.WriteNumber("runAtMs", run.RunAtMs);
                writer.WriteString("runId", run.RunId);
                if (run.Status != "running")
                {
                    writer.WriteString("status", run.Status);
                }

                if (run.Error is not null)
                {
                    writer.WriteString("error", run.Error);
                }

                if (run.SessionKey is not null)
                {
                    writer.WriteString("sessionKey", run.SessionKey);
                }
            }
        });
        _context.Events.Publish(new TenantEvent(CronEvent, payload) { RequiredScope = GatewayMethodCatalog.ScopeRead });
    }

    private static bool SameSchedule(CronJob a, CronJob b) =>
        a.Schedule.Kind == b.Schedule.Kind && a.Schedule.AtMs == b.Schedule.AtMs && a.Schedule.EveryMs == b.Schedule.EveryMs
        && a.Schedule.AnchorMs == b.Schedule.AnchorMs && a.Schedule.Expr == b.Schedule.Expr && a.Schedule.Tz == b.Schedule.Tz;

    /// <summary>The call a scheduled run is accepted under: no connection, the run id as its idempotency key.</summary>
    private static GatewayCall SyntheticCall(string clientId) => new()
    {
        Method = "agent",
        ConnectionId = "",
        ClientId = clientId,
        ClientMode = "backend",
    };

    private static string AcceptedPayload(ChatRun run) => JsonPayload.Object(writer =>
    {
        writer.WriteString("runId", run.RunId);
        writer.WriteString("sessionKey", run.SessionKey.Value);
        writer.WriteString("status", "accepted");
        writer.WriteNumber("acceptedAt", run.AcceptedAt);
    });
}
