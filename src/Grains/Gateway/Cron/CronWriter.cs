using System.Text.Json;

namespace OpenClaw.Grains.Gateway.Cron;

/// <summary>The wire shapes of jobs and run records (<c>CronJob</c>, <c>cron.runs</c> entries).</summary>
internal static class CronWriter
{
    public static void WriteJob(Utf8JsonWriter writer, CronJob job)
    {
        writer.WriteStartObject();
        writer.WriteString("id", job.Id);
        writer.WriteString("agentId", SessionKey.DefaultAgentId);
        writer.WriteString("name", job.Name);
        if (job.Description is not null)
        {
            writer.WriteString("description", job.Description);
        }

        writer.WriteBoolean("enabled", job.Enabled);
        writer.WriteBoolean("deleteAfterRun", job.DeleteAfterRun);
        writer.WriteNumber("createdAtMs", job.CreatedAtMs);
        writer.WriteNumber("updatedAtMs", job.UpdatedAtMs);
        writer.WriteStartObject("schedule");
        writer.WriteString("kind", job.Schedule.Kind);
        switch (job.Schedule.Kind)
        {
            case CronJobRules.ScheduleAt:
                var at = DateTimeOffset.FromUnixTimeMilliseconds(job.Schedule.AtMs ?? 0);
                writer.WriteString("at", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case CronJobRules.ScheduleEvery:
                writer.WriteNumber("everyMs", job.Schedule.EveryMs ?? 0);
                if (job.Schedule.AnchorMs is { } anchor)
                {
                    writer.WriteNumber("anchorMs", anchor);
                }

                break;
            default:
                writer.WriteString("expr", job.Schedule.Expr);
                if (job.Schedule.Tz is not null)
                {
                    writer.WriteString("tz", job.Schedule.Tz);
                }

                break;
        }

        writer.WriteEndObject();
        writer.WriteString("sessionTarget", job.SessionTarget);
        writer.WriteString("wakeMode", job.WakeMode);
        writer.WriteStartObject("payload");
        writer.WriteString("kind", job.Payload.Kind);
        if (job.Payload.Kind == CronJobRules.PayloadSystemEvent)
        {
            writer.WriteString("text", job.Payload.Text);
        }
        else
        {
            writer.WriteString("message", job.Payload.Message);
            WriteIfSet(writer, "timeoutSeconds", job.Payload.TimeoutSeconds);
            WriteIfSet(writer, "model", job.Payload.Model);
            WriteIfSet(writer, "thinking", job.Payload.Thinking);
            if (job.Payload.LightContext is { } light)
            {
                writer.WriteBoolean("lightContext", light);
            }
        }

        writer.WriteEndObject();
        writer.WriteStartObject("state");
        WriteIfSet(writer, "nextRunAtMs", job.State.NextRunAtMs);
        WriteIfSet(writer, "lastRunAtMs", job.State.LastRunAtMs);
        WriteIfSet(writer, "lastRunStatus", job.State.LastRunStatus);
        WriteIfSet(writer, "lastError", job.State.LastError);
        WriteIfSet(writer, "lastDurationMs", job.State.LastDurationMs);
        WriteIfSet(writer, "runningAtMs", job.State.RunningAtMs);
        writer.WriteNumber("consecutiveErrors", job.State.ConsecutiveErrors);
        writer.WriteEndObject();
        // Flat copies, as the protocol's CronJob also reports them at the top level.
        WriteIfSet(writer, "nextRunAtMs", job.State.NextRunAtMs);
        WriteIfSet(writer, "lastRunAtMs", job.State.LastRunAtMs);
        WriteIfSet(writer, "lastRunStatus", job.State.LastRunStatus);
        writer.WriteEndObject();
    }

    public static void WriteRun(Utf8JsonWriter writer, CronRunRecord run)
    {
        writer.WriteStartObject();
        writer.WriteString("runId", run.RunId);
        writer.WriteString("jobId", run.JobId);
        WriteIfSet(writer, "jobName", run.JobName);
        writer.WriteString("status", run.Status);
        writer.WriteString("trigger", run.Trigger);
        writer.WriteNumber("runAtMs", run.RunAtMs);
        WriteIfSet(writer, "startedAtMs", run.StartedAtMs);
        WriteIfSet(writer, "endedAtMs", run.EndedAtMs);
        if (run.EndedAtMs is { } ended && run.StartedAtMs is { } started)
        {
            writer.WriteNumber("durationMs", Math.Max(0, ended - started));
        }

        WriteIfSet(writer, "sessionKey", run.SessionKey);
        WriteIfSet(writer, "error", run.Error);
        WriteIfSet(writer, "summary", run.Summary);
        writer.WriteEndObject();
    }

    public static string Job(CronJob job) => JsonPayload.Write(writer => WriteJob(writer, job));

    private static void WriteIfSet(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
