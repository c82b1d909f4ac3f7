using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// <c>agent</c> (first answer "accepted" with <see cref="GatewayReply.FinalPending"/>), its final
/// answer through <see cref="GatewayMethodCatalog.AgentFinal"/>, and <c>agent.wait</c>.
/// </summary>
internal sealed class AgentMethods(GatewayContext context) : IGatewayMethodGroup
{
    public void Register(GatewayMethodTable table)
    {
        table.Add("agent", Agent);
        table.Add(GatewayMethodCatalog.AgentFinal, Final);
        table.Add("agent.wait", Wait);
    }

    private Task<GatewayReply> Agent(GatewayRequest request)
    {
        var parameters = request.Params;
        var message = parameters.RequiredString("message", context.Options.MaxMessageChars);
        var idempotencyKey = parameters.RequiredString("idempotencyKey", ChatMethods.MaxIdempotencyKeyLength);
        var agentId = SessionParams.AgentId(request, context);
        var key = SessionParams.OptionalKey(request, context, "sessionKey") ?? SessionKey.Main(agentId);
        var timeoutSeconds = parameters.OptionalInteger("timeout", 0, int.MaxValue / 1000);
        parameters.OptionalString("sessionId", 256);
        parameters.OptionalBoolean("deliver");
        parameters.OptionalString("thinking", 64);

        return RunStarter.StartAsync(context, request.Call, idempotencyKey, key, message, RunKind.Agent,
            timeoutSeconds * 1000,
            run => JsonPayload.Object(writer =>
            {
                writer.WriteString("runId", run.RunId);
                writer.WriteString("sessionKey", run.SessionKey.Value);
                writer.WriteString("agentId", run.SessionKey.AgentId);
                writer.WriteString("status", "accepted");
                writer.WriteNumber("acceptedAt", run.AcceptedAt);
            }),
            finalPending: true);
    }

    /// <summary>
    /// The second answer of <c>agent</c>. Waits for the run at most <c>MaxCallWait</c> (or the
    /// smaller <c>timeoutMs</c>); a run still going then gets UNAVAILABLE, retryable, with
    /// <see cref="GatewayReply.FinalPending"/> still true: the edge asks again (a grain call must
    /// answer within the runtime's response timeout, and runs may take minutes).
    /// </summary>
    private async Task<GatewayReply> Final(GatewayRequest request)
    {
        var runId = request.Params.RequiredString("runId", ChatMethods.MaxIdempotencyKeyLength);
        var wait = BoundedWait(request.Params.OptionalInteger("timeoutMs", 0, int.MaxValue));

        // A run in progress wins over a stored outcome of the same id: a chat.send whose prompt could
        // not be stored left an error outcome, and its retry (same idempotency key) runs again.
        var active = context.Runs.FindActive(runId);
        var outcome = active is null ? context.Runs.FindOutcome(runId) : null;
        if (active is { } run)
        {
            outcome = await context.Runs.WaitAsync(run, wait);
            if (outcome is null)
            {
                return GatewayReplies.Unavailable($"agent run {runId} is still in progress", retryable: true)
                    with { FinalPending = true, RunId = runId };
            }
        }

        if (outcome is null)
        {
            var summary = $"agent run {runId} was not found (it may have been interrupted)";
            return GatewayReply.Failure(GatewayError.Unavailable(summary), ErrorPayload(runId, summary)) with { RunId = runId };
        }

        if (outcome.Status == RunStatus.Error)
        {
            var summary = outcome.ErrorMessage ?? "agent run failed";
            return GatewayReply.Failure(GatewayError.Unavailable(summary), ErrorPayload(runId, summary)) with { RunId = runId };
        }

        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteString("runId", runId);
            writer.WriteString("status", "ok");
            writer.WriteString("summary", outcome.Status == RunStatus.Aborted ? "aborted" : "completed");
            WriteResult(writer, outcome);
        })) with { RunId = runId };
    }

    /// <summary>
    /// <c>{runId, status:"ok"|"error"|"timeout", startedAt?, endedAt?, error?}</c>; waits at most
    /// <c>timeoutMs</c> and never longer than <c>MaxCallWait</c>.
    /// </summary>
    private async Task<GatewayReply> Wait(GatewayRequest request)
    {
        var runId = request.Params.RequiredString("runId", ChatMethods.MaxIdempotencyKeyLength);
        var timeout = BoundedWait(request.Params.OptionalInteger("timeoutMs", 0, int.MaxValue));

        var active = context.Runs.FindActive(runId);
        var outcome = active is null ? context.Runs.FindOutcome(runId) : null;
        var known = outcome is not null;
        if (active is { } run)
        {
            known = true;
            outcome = await context.Runs.WaitAsync(run, timeout);
        }

        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteString("runId", runId);
            if (outcome is null)
            {
                writer.WriteString("status", known ? "timeout" : "error");
                if (!known)
                {
                    writer.WriteString("error", $"unknown run: {runId}");
                }

                return;
            }

            writer.WriteString("status", outcome.Status == RunStatus.Error ? "error" : "ok");
            writer.WriteNumberOrNull("startedAt", outcome.StartedAt);
            writer.WriteNumber("endedAt", outcome.EndedAt);
            if (outcome.Status == RunStatus.Aborted)
            {
                writer.WriteBoolean("aborted", true);
            }

            if (outcome.ErrorMessage is not null)
            {
                writer.WriteString("error", outcome.ErrorMessage);
            }
        }));
    }

    /// <summary><c>result{payloads[{text, mediaUrl}], meta{durationMs, agentMeta{…}, aborted, stopReason, …}}</c>.</summary>
    private void WriteResult(Utf8JsonWriter writer, RunOutcome outcome)
    {
        writer.WriteStartObject("result");
        writer.WriteStartArray("payloads");
        if (outcome.Text.Length > 0)
        {
            writer.WriteStartObject();
            writer.WriteString("text", outcome.Text);
            writer.WriteNull("mediaUrl");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("meta");
        writer.WriteNumber("durationMs", Math.Max(0, outcome.EndedAt - (outcome.StartedAt ?? outcome.AcceptedAt)));
        writer.WriteStartObject("agentMeta");
        writer.WriteString("sessionId", outcome.SessionId);
        writer.WriteString("sessionFile", outcome.SessionKey);
        writer.WriteStringOrNull("provider", outcome.Provider);
        writer.WriteStringOrNull("model", outcome.Model);
        writer.WriteNumber("contextTokens", context.Options.ContextTokens);
        writer.WriteStartObject("usage");
        writer.WriteNumber("input", outcome.InputTokens);
        writer.WriteNumber("output", outcome.OutputTokens);
        writer.WriteNumber("cacheRead", 0);
        writer.WriteNumber("cacheWrite", 0);
        writer.WriteNumber("total", outcome.InputTokens + outcome.OutputTokens);
        writer.WriteEndObject();
        writer.WriteNumber("promptTokens", outcome.InputTokens);
        writer.WriteNumber("assistantTurns", 1);
        writer.WriteEndObject();
        writer.WriteBoolean("aborted", outcome.Status == RunStatus.Aborted);
        writer.WriteString("finalAssistantVisibleText", outcome.Text);
        writer.WriteStringOrNull("stopReason", outcome.StopReason);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private TimeSpan BoundedWait(long? timeoutMs) =>
        timeoutMs is { } ms && TimeSpan.FromMilliseconds(ms) < context.Options.MaxCallWait
            ? TimeSpan.FromMilliseconds(ms)
            : context.Options.MaxCallWait;

    private static string ErrorPayload(string runId, string summary) => JsonPayload.Object(writer =>
    {
        writer.WriteString("runId", runId);
        writer.WriteString("status", "error");
        writer.WriteString("summary", summary);
    });
}
