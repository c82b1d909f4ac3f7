using System.Text.Json;
using OpenClaw.Grains.Gateway.Cron;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// <c>cron.list/get/status/runs</c> (read) and <c>cron.add/update/remove/run</c> (admin) over the
/// tenant's own scheduled jobs (see <see cref="TenantCron"/>).
/// </summary>
internal sealed class CronMethods(GatewayContext context) : IGatewayMethodGroup
{
    public const int MaxListLimit = 200;

    public void Register(GatewayMethodTable table)
    {
        table.Add("cron.list", List);
        table.Add("cron.get", Get);
        table.Add("cron.status", Status);
        table.Add("cron.runs", Runs);
        table.Add("cron.add", Add);
        table.Add("cron.update", Update);
        table.Add("cron.remove", Remove);
        table.Add("cron.run", Run);
    }

    private Task<GatewayReply> List(GatewayRequest request)
    {
        var parameters = request.Params;
        var includeDisabled = parameters.OptionalBoolean("includeDisabled") ?? false;
        var limit = (int)(parameters.OptionalInteger("limit", 1, MaxListLimit) ?? MaxListLimit);
        var offset = (int)(parameters.OptionalInteger("offset", 0, int.MaxValue) ?? 0);
        var query = parameters.OptionalString("query", 200)?.Trim();
        SessionParams.AgentId(request, context);

        var matching = context.Cron.State.Jobs
            .Where(job => includeDisabled || job.Enabled)
            .Where(job => string.IsNullOrEmpty(query)
                || job.Name.Contains(query, StringComparison.OrdinalIgnoreCase)
                || (job.Description?.Contains(query, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(job => job.State.NextRunAtMs ?? long.MaxValue)
            .ThenBy(job => job.CreatedAtMs)
            .ToList();
        var page = matching.Skip(offset).Take(limit).ToList();
        return Ok(writer =>
        {
            writer.WriteStartArray("jobs");
            foreach (var job in page)
            {
                CronWriter.WriteJob(writer, job);
            }

            writer.WriteEndArray();
            writer.WriteNumber("total", matching.Count);
            writer.WriteNumber("offset", offset);
            writer.WriteNumber("limit", limit);
            writer.WriteBoolean("hasMore", offset + page.Count < matching.Count);
            if (offset + page.Count < matching.Count)
            {
                writer.WriteNumber("nextOffset", offset + page.Count);
            }
        });
    }

    private Task<GatewayReply> Get(GatewayRequest request)
    {
        var job = context.Cron.Require(JobId(request.Params));
        return Task.FromResult(GatewayReply.Success(CronWriter.Job(job)));
    }

    private Task<GatewayReply> Status(GatewayRequest request)
    {
        var cron = context.Cron;
        var state = cron.State;
        return Ok(writer =>
        {
            writer.WriteBoolean("enabled", true);
            writer.WriteNumber("jobs", state.Jobs.Count);
            writer.WriteNumber("enabledJobs", state.Jobs.Count(job => job.Enabled));
            writer.WriteNumber("maxJobs", context.Options.Cron.MaxJobs);
            writer.WriteNumberOrNull("nextWakeAtMs", cron.NextWakeAtMs);
            writer.WriteStartObject("heartbeat");
            writer.WriteBoolean("enabled", cron.HeartbeatCadence is not null);
            writer.WriteNumberOrNull("everyMs", cron.HeartbeatCadence is { } every ? (long)every.TotalMilliseconds : null);
            writer.WriteNumberOrNull("nextRunAtMs", cron.HeartbeatCadence is null ? null : state.NextHeartbeatAtMs);
            writer.WriteNumber("pendingSystemEvents", state.PendingSystemEvents.Count);
            writer.WriteEndObject();
        });
    }

    private Task<GatewayReply> Runs(GatewayRequest request)
    {
        var parameters = request.Params;
        var jobId = parameters.OptionalString("id", CronJobRules.MaxIdLength, allowEmpty: false)
            ?? parameters.OptionalString("jobId", CronJobRules.MaxIdLength, allowEmpty: false);
        var runId = parameters.OptionalString("runId", ChatMethods.MaxIdempotencyKeyLength, allowEmpty: false);
        var limit = (int)(parameters.OptionalInteger("limit", 1, MaxListLimit) ?? 50);
        parameters.OptionalString("scope", 32);
        var runs = context.Cron.Runs(jobId, runId, limit);
        return Ok(writer =>
        {
            writer.WriteStartArray("entries");
            foreach (var run in runs)
            {
                CronWriter.WriteRun(writer, run);
            }

            writer.WriteEndArray();
            writer.WriteNumber("total", runs.Count);
        });
    }

    private Task<GatewayReply> Add(GatewayRequest request) =>
        Changing(async () =>
        {
            var spec = request.Params.OptionalElement("job") is { ValueKind: JsonValueKind.Object } nested ? nested : Root(request);
            var job = await context.Cron.AddAsync(spec);
            return GatewayReply.Success(CronWriter.Job(job));
        });

    private Task<GatewayReply> Update(GatewayRequest request) =>
        Changing(async () =>
        {
            var id = JobId(request.Params);
            var patch = request.Params.OptionalElement("patch") ?? throw new GatewayParamsException("must have required property 'patch'");
            request.Params.OptionalString("expectedConfigRevision", 128);
            var job = await context.Cron.UpdateAsync(id, patch);
            return GatewayReply.Success(CronWriter.Job(job));
        });

    private Task<GatewayReply> Remove(GatewayRequest request) =>
        Changing(async () =>
        {
            var id = JobId(request.Params);
            await context.Cron.RemoveAsync(id);
            return GatewayReply.Success(JsonPayload.Object(writer =>
            {
                writer.WriteBoolean("ok", true);
                writer.WriteBoolean("removed", true);
                writer.WriteString("id", id);
            }));
        });

    private Task<GatewayReply> Run(GatewayRequest request) =>
        Changing(async () =>
        {
            var id = JobId(request.Params);
            var mode = request.Params.OptionalString("mode", 32) ?? "force";
            if (mode is not ("force" or "due" or "if-enabled"))
            {
                throw new GatewayParamsException($"'mode' must be \"due\", \"force\" or \"if-enabled\", not \"{CronText.Clip(mode, 40)}\"");
            }

            var disabled = mode == "if-enabled" && !context.Cron.Require(id).Enabled;
            var record = disabled ? null : await context.Cron.RunAsync(id, force: mode != "due");
            return GatewayReply.Success(JsonPayload.Object(writer =>
            {
                writer.WriteBoolean("ok", true);
                writer.WriteBoolean("enqueued", record is not null);
                if (record is null)
                {
                    writer.WriteBoolean("ran", false);
                    writer.WriteString("reason", disabled ? "disabled" : "not-due");
                    return;
                }

                writer.WriteString("runId", record.RunId);
                writer.WriteString("status", record.Status);
            }));
        });

    /// <summary><c>id</c> or <c>jobId</c>.</summary>
    public static string JobId(GatewayParams parameters) =>
        parameters.OptionalString("id", CronJobRules.MaxIdLength, allowEmpty: false)
        ?? parameters.OptionalString("jobId", CronJobRules.MaxIdLength, allowEmpty: false)
        ?? throw new GatewayParamsException("must have required property 'id'");

    private static async Task<GatewayReply> Changing(Func<Task<GatewayReply>> change)
    {
        try
        {
            return await change();
        }
        catch (CronUnavailableException exception)
        {
            return GatewayReplies.Unavailable(exception.Message, retryable: true, retryAfterMs: 1000);
        }
    }

    private static JsonElement Root(GatewayRequest request) =>
        request.Call.ParamsJson is { Length: > 0 } json
            ? JsonDocument.Parse(json).RootElement.Clone()
            : throw new GatewayParamsException("must have required property 'name'");

    private static Task<GatewayReply> Ok(Action<Utf8JsonWriter> write) =>
        Task.FromResult(GatewayReply.Success(JsonPayload.Object(write)));
}
