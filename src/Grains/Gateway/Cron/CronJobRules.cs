using System.Globalization;
using System.Text.Json;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// Reads and validates a job as <c>cron.add</c> and the <c>cron</c> tool give it, and the patches of
/// <c>cron.update</c>. Everything a tenant sets is bounded (<see cref="CronOptions"/>). Payloads and
/// schedules that run code (<c>command</c>, <c>script</c>, <c>on-exit</c>, <c>stream</c>) are refused:
/// this gateway runs no tenant code. Problems are <see cref="GatewayParamsException"/>s.
/// </summary>
internal sealed class CronJobRules(GatewayContext context)
{
    public const string TargetMain = "main";
    public const string TargetIsolated = "isolated";
    public const string TargetSessionPrefix = "session:";
    public const string WakeNow = "now";
    public const string WakeNextHeartbeat = "next-heartbeat";
    public const string PayloadSystemEvent = "systemEvent";
    public const string PayloadAgentTurn = "agentTurn";
    public const string ScheduleAt = "at";
    public const string ScheduleEvery = "every";
    public const string ScheduleCron = "cron";
    public const int MaxIdLength = 128;
    public const int MaxTimeZoneLength = 64;

    private const string NoTenantCode =
        "this gateway runs no tenant code; use an at/every/cron schedule with a systemEvent or agentTurn payload (commands can run on a node the tenant connects)";

    private CronOptions Options => context.Options.Cron;

    /// <summary>A new job from <c>cron.add</c> params (or the tool's <c>job</c>); <paramref name="currentSession"/> resolves <c>sessionTarget:"current"</c> (tool only).</summary>
    public CronJob Create(JsonElement spec, long nowMs, SessionKey? currentSession = null)
    {
        RequireObject(spec, "job");
        var job = new CronJob
        {
            Id = Guid.NewGuid().ToString(),
            Name = Name(Required(spec, "name")),
            CreatedAtMs = nowMs,
            UpdatedAtMs = nowMs,
        };
        job.Schedule = Schedule(Required(spec, "schedule"));
        job.Payload = Payload(Required(spec, "payload"), current: null);
        job.SessionTarget = Optional(spec, "sessionTarget") is { } target
            ? SessionTarget(target, currentSession)
            : job.Payload.Kind == PayloadSystemEvent ? TargetMain : TargetIsolated;
        ApplyCommon(job, spec);
        job.DeleteAfterRun = Optional(spec, "deleteAfterRun") is { } delete ? Boolean(delete, "deleteAfterRun") : job.Schedule.Kind == ScheduleAt;
        CheckAgent(spec);
        Check(job);
        return job;
    }

    /// <summary>Applies a <c>cron.update</c> patch to a copy of <paramref name="job"/>.</summary>
    public CronJob Patch(CronJob job, JsonElement patch, long nowMs, SessionKey? currentSession = null)
    {
        RequireObject(patch, "patch");
        var updated = Copy(job);
        if (Optional(patch, "name") is { } name)
        {
            updated.Name = Name(name);
        }

        if (Optional(patch, "schedule") is { } schedule)
        {
            updated.Schedule = Schedule(schedule);
        }

        if (Optional(patch, "payload") is { } payload)
        {
            updated.Payload = Payload(payload, updated.Payload);
        }

        if (Optional(patch, "sessionTarget") is { } target)
        {
            updated.SessionTarget = SessionTarget(target, currentSession);
        }

        if (Optional(patch, "deleteAfterRun") is { } delete)
        {
            updated.DeleteAfterRun = Boolean(delete, "deleteAfterRun");
        }

        ApplyCommon(updated, patch);
        CheckAgent(patch);
        Check(updated);
        updated.UpdatedAtMs = nowMs;
        return updated;
    }

    /// <summary>The session a job's agent turn runs in.</summary>
    public SessionKey SessionOf(CronJob job) => job.SessionTarget switch
    {
        TargetMain => context.MainSessionKey,
        var target when target.StartsWith(TargetSessionPrefix, StringComparison.Ordinal) =>
            SessionKey.TryParse(target[TargetSessionPrefix.Length..], out _) ?? context.MainSessionKey,
        _ => new SessionKey(context.AgentId, $"cron:{job.Id}"),
    };

    public static TimeZoneInfo Zone(string? tz) =>
        tz is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(tz);

    private void ApplyCommon(CronJob job, JsonElement spec)
    {
        if (Optional(spec, "description") is { } description)
        {
            job.Description = Text(description, "description", Options.MaxNameChars, allowEmpty: true);
        }

        if (Optional(spec, "wakeMode") is { } wake)
        {
            job.WakeMode = Text(wake, "wakeMode", 32) switch
            {
                WakeNow => WakeNow,
                WakeNextHeartbeat => WakeNextHeartbeat,
                var other => throw new GatewayParamsException($"'wakeMode' must be \"now\" or \"next-heartbeat\", not \"{other}\""),
            };
        }

        if (Optional(spec, "enabled") is { } enabled)
        {
            job.Enabled = Boolean(enabled, "enabled");
        }

        if (Optional(spec, "delivery") is { } delivery && delivery.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayParamsException("'delivery' must be an object");
        }
    }

    private void Check(CronJob job)
    {
        if (job.Payload.Kind == PayloadSystemEvent && job.SessionTarget != TargetMain)
        {
            throw new GatewayParamsException("a systemEvent payload goes to the main session: use sessionTarget \"main\" (or an agentTurn payload)");
        }
    }

    private static void CheckAgent(JsonElement spec)
    {
        if (Optional(spec, "agentId") is { } agent && Text(agent, "agentId", 64) != SessionKey.DefaultAgentId)
        {
            throw new GatewayParamsException($"unknown agent id (this gateway has one agent: \"{SessionKey.DefaultAgentId}\")");
        }
    }

    private string Name(JsonElement value) => Text(value, "name", Options.MaxNameChars).Trim();

    private CronSchedule Schedule(JsonElement value)
    {
        RequireObject(value, "schedule");
        var kind = Text(Required(value, "kind", "schedule"), "schedule.kind", 32);
        switch (kind)
        {
            case ScheduleAt:
                return new CronSchedule { Kind = ScheduleAt, AtMs = At(value) };
            case ScheduleEvery:
                var everyMs = Integer(Required(value, "everyMs", "schedule"), "schedule.everyMs", 1, (long)TimeSpan.FromDays(366).TotalMilliseconds);
                if (everyMs < Options.MinInterval.TotalMilliseconds)
                {
                    throw new GatewayParamsException($"'schedule.everyMs' must be at least {(long)Options.MinInterval.TotalMilliseconds} ({CronText.Duration(Options.MinInterval)})");
                }

                var anchor = Optional(value, "anchorMs") is { } anchorValue ? Integer(anchorValue, "schedule.anchorMs", 0, MaxEpochMs) : (long?)null;
                return new CronSchedule { Kind = ScheduleEvery, EveryMs = everyMs, AnchorMs = anchor };
            case ScheduleCron:
                var expr = Text(Required(value, "expr", "schedule"), "schedule.expr", CronExpression.MaxLength).Trim();
                try
                {
                    CronExpression.Parse(expr);
                }
                catch (FormatException exception)
                {
                    throw new GatewayParamsException($"'schedule.expr' {exception.Message}");
                }

                var tz = Optional(value, "tz") is { } tzValue ? TimeZone(Text(tzValue, "schedule.tz", MaxTimeZoneLength).Trim()) : null;
                if (Optional(value, "staggerMs") is { } stagger)
                {
                    Integer(stagger, "schedule.staggerMs", 0, (long)TimeSpan.FromHours(1).TotalMilliseconds);
                }

                return new CronSchedule { Kind = ScheduleCron, Expr = expr, Tz = tz };
            case "on-exit":
            case "stream":
                throw new GatewayParamsException($"schedule kind \"{kind}\" runs a command, and {NoTenantCode}");
            default:
                throw new GatewayParamsException($"'schedule.kind' must be \"at\", \"every\" or \"cron\", not \"{Clip(kind)}\"");
        }
    }

    private static long At(JsonElement schedule)
    {
        var value = Optional(schedule, "at") ?? Optional(schedule, "atMs")
            ?? throw new GatewayParamsException("schedule must have required property 'at'");
        if (value.ValueKind == JsonValueKind.Number)
        {
            return Integer(value, "schedule.at", 0, MaxEpochMs);
        }

        var text = Text(value, "schedule.at", 64).Trim();
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw new GatewayParamsException($"'schedule.at' must be an ISO 8601 time (e.g. 2026-12-24T18:00:00Z) or epoch milliseconds, not \"{Clip(text)}\"");
        }

        return at.ToUnixTimeMilliseconds();
    }

    private static string TimeZone(string id)
    {
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+'))
        {
            throw new GatewayParamsException($"'schedule.tz' must be an IANA time zone such as \"Europe/Berlin\", not \"{Clip(id)}\"");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id).Id;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new GatewayParamsException($"'schedule.tz' names an unknown time zone \"{id}\"");
        }
    }

    private CronPayload Payload(JsonElement value, CronPayload? current)
    {
        RequireObject(value, "payload");
        var kind = Optional(value, "kind") is { } kindValue ? Text(kindValue, "payload.kind", 32) : current?.Kind
            ?? throw new GatewayParamsException("payload must have required property 'kind'");
        var merge = current?.Kind == kind ? current : null;
        switch (kind)
        {
            case PayloadSystemEvent:
                return new CronPayload
                {
                    Kind = kind,
                    Text = Optional(value, "text") is { } text ? Text(text, "payload.text", Options.MaxTextChars)
                        : merge?.Text ?? throw new GatewayParamsException("payload must have required property 'text'"),
                };
            case PayloadAgentTurn:
                var maxTimeout = (long)Math.Max(1, context.Options.RunTimeout.TotalSeconds);
                return new CronPayload
                {
                    Kind = kind,
                    Message = Optional(value, "message") is { } message ? Text(message, "payload.message", Math.Min(Options.MaxTextChars, context.Options.MaxMessageChars))
                        : merge?.Message ?? throw new GatewayParamsException("payload must have required property 'message'"),
                    TimeoutSeconds = Optional(value, "timeoutSeconds") is { } timeout ? (int)Integer(timeout, "payload.timeoutSeconds", 1, maxTimeout) : merge?.TimeoutSeconds,
                    Model = Optional(value, "model") is { } model ? Text(model, "payload.model", 200) : merge?.Model,
                    Thinking = Optional(value, "thinking") is { } thinking ? Text(thinking, "payload.thinking", 64) : merge?.Thinking,
                    LightContext = Optional(value, "lightContext") is { } light ? Boolean(light, "payload.lightContext") : merge?.LightContext,
                };
            case "command":
            case "script":
                throw new GatewayParamsException($"payload kind \"{kind}\" runs code, and {NoTenantCode}");
            default:
                throw new GatewayParamsException($"'payload.kind' must be \"systemEvent\" or \"agentTurn\", not \"{Clip(kind)}\"");
        }
    }

    private string SessionTarget(JsonElement value, SessionKey? currentSession)
    {
        var target = Text(value, "sessionTarget", SessionKey.MaxLength + TargetSessionPrefix.Length).Trim();
        if (target is TargetMain or TargetIsolated)
        {
            return target;
        }

        if (target == "current")
        {
            return currentSession is { } current
                ? TargetSessionPrefix + current.Value
                : throw new GatewayParamsException("sessionTarget \"current\" is only known inside an agent run; use \"main\", \"isolated\" or \"session:<key>\"");
        }

        if (!target.StartsWith(TargetSessionPrefix, StringComparison.Ordinal))
        {
            throw new GatewayParamsException($"'sessionTarget' must be \"main\", \"isolated\" or \"session:<key>\", not \"{Clip(target)}\"");
        }

        var key = SessionKey.TryParse(target[TargetSessionPrefix.Length..], out var error)
            ?? throw new GatewayParamsException($"'sessionTarget' session key {error}");
        if (key.AgentId != context.AgentId)
        {
            throw new GatewayParamsException($"'sessionTarget' names unknown agent \"{key.AgentId}\" (this gateway has one agent: \"{context.AgentId}\")");
        }

        return TargetSessionPrefix + key.Value;
    }

    private static readonly long MaxEpochMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static CronJob Copy(CronJob job) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(job, UserGrainJsonContext.Default.CronJob), UserGrainJsonContext.Default.CronJob)!;

    private static void RequireObject(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayParamsException($"'{name}' must be an object");
        }
    }

    private static JsonElement Required(JsonElement value, string name, string? parent = null) =>
        Optional(value, name) ?? throw new GatewayParamsException(parent is null
            ? $"must have required property '{name}'"
            : $"{parent} must have required property '{name}'");

    private static JsonElement? Optional(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) && property.ValueKind != JsonValueKind.Null
            ? property
            : null;

    private static string Text(JsonElement value, string name, int maxLength, bool allowEmpty = false)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new GatewayParamsException($"'{name}' must be a string");
        }

        var text = value.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            throw new GatewayParamsException($"'{name}' must NOT be empty");
        }

        return text.Length <= maxLength ? text : throw new GatewayParamsException($"'{name}' must NOT have more than {maxLength} characters");
    }

    private static bool Boolean(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new GatewayParamsException($"'{name}' must be a boolean"),
    };

    private static long Integer(JsonElement value, string name, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var real) && real == Math.Floor(real) && Math.Abs(real) < 9e15)
            {
                number = (long)real;
            }
            else
            {
                throw new GatewayParamsException($"'{name}' must be an integer");
            }
        }

        if (number < min)
        {
            throw new GatewayParamsException($"'{name}' must be >= {min}");
        }

        return number <= max ? number : throw new GatewayParamsException($"'{name}' must be <= {max}");
    }

    private static string Clip(string text) => CronText.Clip(text, 40)!;
}
