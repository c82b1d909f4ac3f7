using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// <c>health</c> and <c>status</c>, answered for this tenant only. Host figures of the reference
/// (pid, process memory, worker pools, shutdown budget, host desktop) are left out: they describe
/// the silo, not the tenant, and must not leak between tenants.
/// </summary>
internal sealed class HealthMethods(GatewayContext context) : IGatewayMethodGroup
{
    private const int RecentSessions = 5;

    public void Register(GatewayMethodTable table)
    {
        table.Add("health", Health);
        table.Add("status", Status);
    }

    private Task<GatewayReply> Health(GatewayRequest request)
    {
        var started = context.Time.GetTimestamp();
        request.Params.OptionalBoolean("probe");
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteNumber("ts", context.NowMs());
            writer.WriteNumber("durationMs", (long)context.Time.GetElapsedTime(started).TotalMilliseconds);
            writer.WriteStartObject("plugins");
            writer.WriteStringArray("loaded", [context.Config.Provider]);
            writer.WriteEmptyArray("errors");
            writer.WriteEmptyArray("unavailable");
            writer.WriteEndObject();
            writer.WriteStartObject("configReload");
            writer.WriteString("hotReloadStatus", "active");
            writer.WriteEndObject();
            writer.WriteEmptyObject("channels");
            writer.WriteEmptyArray("channelOrder");
            writer.WriteEmptyObject("channelLabels");
            writer.WriteNumber("heartbeatSeconds", 0);
            writer.WriteString("defaultAgentId", context.AgentId);
            writer.WriteStartArray("agents");
            writer.WriteStartObject();
            writer.WriteString("agentId", context.AgentId);
            writer.WriteBoolean("isDefault", true);
            WriteHeartbeat(writer);
            WriteSessionsSummary(writer, "sessions", includePathList: false);
            writer.WriteEndObject();
            writer.WriteEndArray();
            WriteSessionsSummary(writer, "sessions", includePathList: false);
            WriteModelRuntime(writer);
            WriteEventLoop(writer);
        });
        return Task.FromResult(GatewayReply.Success(payload));
    }

    private Task<GatewayReply> Status(GatewayRequest request)
    {
        var running = context.Runs.ActiveRuns.Count(run => !run.IsQueued);
        var queued = context.Runs.ActiveCount - running;
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("runtimeVersion", context.Options.RuntimeVersion);
            writer.WriteStartObject("heartbeat");
            writer.WriteString("defaultAgentId", context.AgentId);
            writer.WriteStartArray("agents");
            writer.WriteStartObject();
            writer.WriteString("agentId", context.AgentId);
            writer.WriteBoolean("enabled", false);
            writer.WriteString("every", "off");
            writer.WriteNumber("everyMs", 0);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEmptyArray("channelSummary");
            writer.WriteEmptyArray("queuedSystemEvents");
            writer.WriteEmptyArray("degradedSecretOwners");
            writer.WriteEmptyArray("degradedPlugins");
            WriteTasks(writer, running, queued);
            WriteTaskAudit(writer);
            WriteSessionsSummary(writer, "sessions", includePathList: true);
            WriteModelRuntime(writer);
            WriteEventLoop(writer);
        });
        return Task.FromResult(GatewayReply.Success(payload));
    }

    /// <summary>Heartbeat runs are not part of this gateway: reported as disabled.</summary>
    private static void WriteHeartbeat(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("heartbeat");
        writer.WriteBoolean("enabled", false);
        writer.WriteString("every", "off");
        writer.WriteNumber("everyMs", 0);
        writer.WriteEndObject();
    }

    /// <summary><c>{path, count, recent[{key, updatedAt, age}]}</c>; status adds <c>paths</c>, <c>defaults</c> and <c>byAgent</c>.</summary>
    private void WriteSessionsSummary(Utf8JsonWriter writer, string name, bool includePathList)
    {
        var now = context.NowMs();
        var recent = context.Sessions.ListByRecency().Take(RecentSessions).ToList();

        void WriteRecent()
        {
            writer.WriteStartArray("recent");
            foreach (var session in recent)
            {
                writer.WriteStartObject();
                writer.WriteString("key", session.Key);
                writer.WriteNumber("updatedAt", session.UpdatedAt);
                writer.WriteNumber("age", Math.Max(0, now - session.UpdatedAt));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteStartObject(name);
        if (includePathList)
        {
            writer.WriteStringArray("paths", [context.SessionsPath]);
        }
        else
        {
            writer.WriteString("path", context.SessionsPath);
        }

        writer.WriteNumber("count", context.Sessions.Count);
        if (includePathList)
        {
            writer.WriteStartObject("defaults");
            writer.WriteString("model", context.Config.Model);
            writer.WriteNumber("contextTokens", context.Options.ContextTokens);
            writer.WriteEndObject();
        }

        WriteRecent();
        if (includePathList)
        {
            writer.WriteStartArray("byAgent");
            writer.WriteStartObject();
            writer.WriteString("agentId", context.AgentId);
            writer.WriteString("path", context.SessionsPath);
            writer.WriteNumber("count", context.Sessions.Count);
            WriteRecent();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Runs of this tenant, as the reference's task counters.</summary>
    private static void WriteTasks(Utf8JsonWriter writer, int running, int queued)
    {
        writer.WriteStartObject("tasks");
        writer.WriteNumber("total", running + queued);
        writer.WriteNumber("active", running + queued);
        writer.WriteNumber("terminal", 0);
        writer.WriteNumber("failures", 0);
        writer.WriteStartObject("byStatus");
        writer.WriteNumber("queued", queued);
        writer.WriteNumber("running", running);
        foreach (var status in new[] { "succeeded", "failed", "timed_out", "cancelled", "lost" })
        {
            writer.WriteNumber(status, 0);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("byRuntime");
        foreach (var runtime in new[] { "subagent", "acp", "cli", "cron" })
        {
            writer.WriteNumber(runtime, 0);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTaskAudit(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("taskAudit");
        writer.WriteNumber("total", 0);
        writer.WriteNumber("warnings", 0);
        writer.WriteNumber("errors", 0);
        writer.WriteStartObject("byCode");
        foreach (var code in new[] { "stale_queued", "stale_running", "lost", "delivery_failed", "missing_cleanup", "inconsistent_timestamps" })
        {
            writer.WriteNumber(code, 0);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteModelRuntime(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("modelRuntime");
        writer.WriteBoolean("degraded", false);
        writer.WriteEmptyArray("pendingAgents");
        writer.WriteEndObject();
    }

    /// <summary>
    /// The tenant has no Node event loop of its own: reported as never degraded with zero delays.
    /// The numeric fields must be present: the official CLI formats them whenever
    /// <c>eventLoop</c> is there (it printed NaN without them).
    /// </summary>
    private static void WriteEventLoop(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("eventLoop");
        writer.WriteBoolean("degraded", false);
        writer.WriteNull("degradedSinceMs");
        writer.WriteEmptyArray("reasons");
        writer.WriteNumber("intervalMs", 1000);
        writer.WriteNumber("delayP99Ms", 0);
        writer.WriteNumber("delayMaxMs", 0);
        writer.WriteNumber("utilization", 0);
        writer.WriteNumber("cpuCoreRatio", 0);
        writer.WriteStartObject("cpuBreakdown");
        writer.WriteNumber("mainThreadCoreRatio", 0);
        writer.WriteNumber("hostUtilization", 0);
        writer.WriteNumber("hostCpuCount", Environment.ProcessorCount);
        writer.WriteNumber("workerCoreRatio", 0);
        writer.WriteNumber("otherThreadsCoreRatio", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
