using System.Text.Json;
using OpenClaw.Grains.Agent;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>
/// The agent's <c>cron</c> tool (also offered as <c>automations</c>, OpenClaw's newer name): the tenant's
/// own scheduled jobs, with the same validation and bounds as the <c>cron.*</c> methods. A job id of
/// another tenant is simply unknown here: the tool only ever sees this tenant's store.
/// </summary>
internal sealed class CronTool(string name) : IAgentTool
{
    public const string CronName = "cron";
    public const string AutomationsName = "automations";
    private const int DefaultLimit = 50;

    private static readonly string Parameters = JsonPayload.Object(writer =>
    {
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        writer.WriteStartObject("action");
        writer.WriteString("type", "string");
        writer.WriteStringArray("enum", ["status", "list", "get", "add", "update", "remove", "run", "runs", "wake"]);
        writer.WriteEndObject();
        Property(writer, "job", "object", "add: {name, schedule:{kind:'at',at}|{kind:'every',everyMs}|{kind:'cron',expr,tz?}, payload:{kind:'agentTurn',message}|{kind:'systemEvent',text}, sessionTarget?, wakeMode?, enabled?, deleteAfterRun?}");
        Property(writer, "patch", "object", "update: the fields to change");
        Property(writer, "jobId", "string", "get/update/remove/run/runs: the job id");
        Property(writer, "id", "string", "alias of jobId");
        Property(writer, "runMode", "string", "run: 'force' (default) or 'due'");
        Property(writer, "text", "string", "wake: a system event for the next heartbeat");
        Property(writer, "mode", "string", "wake: 'now' or 'next-heartbeat'");
        Property(writer, "includeDisabled", "boolean", "list: include disabled jobs");
        Property(writer, "limit", "integer", "list/runs: at most this many (≤200)");
        writer.WriteEndObject();
        writer.WriteStringArray("required", ["action"]);
    });

    public string Name { get; } = name;

    public string Description =>
        Name == CronName
            ? "Manage scheduled jobs (reminders, recurring agent turns): status, list, get, add, update, remove, run, runs, wake. Alias of automations."
            : "Manage automations (scheduled jobs: reminders, recurring agent turns): status, list, get, add, update, remove, run, runs, wake.";

    public string ParametersJson => Parameters;

    /// <summary>The tool under both of its names (one catalog line).</summary>
    public static IEnumerable<IAgentTool> Both() => [new CronTool(CronName), new CronTool(AutomationsName)];

    public async Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        var cron = context.Gateway.Cron;
        var args = call.Arguments;
        try
        {
            var action = String(args, "action") ?? throw new GatewayParamsException("must have required property 'action'");
            switch (action)
            {
                case "status":
                    return Ok(writer =>
                    {
                        writer.WriteNumber("jobs", cron.State.Jobs.Count);
                        writer.WriteNumberOrNull("nextWakeAtMs", cron.NextWakeAtMs);
                        writer.WriteBoolean("heartbeatEnabled", cron.HeartbeatCadence is not null);
                    }, "status");
                case "list":
                    var includeDisabled = args.ValueKind == JsonValueKind.Object && args.TryGetProperty("includeDisabled", out var flag) && flag.ValueKind == JsonValueKind.True;
                    var jobs = cron.State.Jobs.Where(job => includeDisabled || job.Enabled).Take(Limit(args)).ToList();
                    return Ok(writer =>
                    {
                        writer.WriteStartArray("jobs");
                        foreach (var job in jobs)
                        {
                            CronWriter.WriteJob(writer, job);
                        }

                        writer.WriteEndArray();
                    }, $"{jobs.Count} jobs");
                case "get":
                    return Job(cron.Require(JobId(args)), "get");
                case "add":
                    var spec = Element(args, "job") ?? throw new GatewayParamsException("must have required property 'job'");
                    return Job(await cron.AddAsync(spec, context.SessionKey), "added");
                case "update":
                    var patch = Element(args, "patch") ?? Element(args, "job") ?? throw new GatewayParamsException("must have required property 'patch'");
                    return Job(await cron.UpdateAsync(JobId(args), patch, context.SessionKey), "updated");
                case "remove":
                    var removed = JobId(args);
                    await cron.RemoveAsync(removed);
                    return Ok(writer => writer.WriteBoolean("removed", true), "removed " + removed);
                case "run":
                    var runMode = String(args, "runMode") ?? "force";
                    if (runMode is not ("force" or "due"))
                    {
                        throw new GatewayParamsException("'runMode' must be \"force\" or \"due\"");
                    }

                    var record = await cron.RunAsync(JobId(args), force: runMode == "force");
                    return Ok(writer =>
                    {
                        writer.WriteBoolean("enqueued", record is not null);
                        if (record is not null)
                        {
                            writer.WriteString("runId", record.RunId);
                        }
                    }, record is null ? "not due" : "enqueued");
                case "runs":
                    var runs = cron.Runs(String(args, "jobId") ?? String(args, "id"), null, Limit(args));
                    return Ok(writer =>
                    {
                        writer.WriteStartArray("entries");
                        foreach (var run in runs)
                        {
                            CronWriter.WriteRun(writer, run);
                        }

                        writer.WriteEndArray();
                    }, $"{runs.Count} runs");
                case "wake":
                    var text = String(args, "text") ?? throw new GatewayParamsException("must have required property 'text'");
                    if (text.Length > context.Gateway.Options.Cron.MaxTextChars)
                    {
                        throw new GatewayParamsException($"'text' must NOT have more than {context.Gateway.Options.Cron.MaxTextChars} characters");
                    }

                    // Queued only: a heartbeat woken "now" from inside a run of the main session would find it busy.
                    await cron.WakeAsync(text, now: String(args, "mode") == CronJobRules.WakeNow && !context.SessionKey.IsMain, "tool wake");
                    return Ok(writer => writer.WriteBoolean("ok", true), "wake");
                default:
                    throw new GatewayParamsException($"unknown action \"{CronText.Clip(action, 40)}\" (status, list, get, add, update, remove, run, runs, wake)");
            }
        }
        catch (GatewayParamsException exception)
        {
            return ToolResult.Error($"{Name}: {exception.Message}");
        }
        catch (CronUnavailableException exception)
        {
            return ToolResult.Error($"{Name}: {exception.Message}");
        }
    }

    private static ToolResult Job(CronJob job, string what)
    {
        var json = CronWriter.Job(job);
        return ToolResult.Ok(json, json, $"{what} {job.Name}");
    }

    private static ToolResult Ok(Action<Utf8JsonWriter> write, string meta)
    {
        var json = JsonPayload.Object(write);
        return ToolResult.Ok(json, json, meta);
    }

    private static string JobId(JsonElement args) =>
        String(args, "jobId") ?? String(args, "id") ?? throw new GatewayParamsException("must have required property 'jobId'");

    private static int Limit(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty("limit", out var limit) && limit.TryGetInt32(out var value)
            ? Math.Clamp(value, 1, 200)
            : DefaultLimit;

    private static JsonElement? Element(JsonElement args, string name) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement args, string name)
    {
        if (Element(args, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new GatewayParamsException($"'{name}' must be a string");
        }

        var text = value.GetString()!;
        return text.Length <= 512 ? text : throw new GatewayParamsException($"'{name}' is too long");
    }

    private static void Property(Utf8JsonWriter writer, string name, string type, string description)
    {
        writer.WriteStartObject(name);
        writer.WriteString("type", type);
        writer.WriteString("description", description);
        writer.WriteEndObject();
    }
}
