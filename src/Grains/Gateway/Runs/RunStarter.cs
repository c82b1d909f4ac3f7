using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// What <c>chat.send</c> and <c>agent</c> share when accepting a run: idempotency (a repeated
/// key gets the first answer and starts nothing, also after a restart), the per-tenant run limit,
/// the storage quota, the timeout, and storing the accepted prompt before answering: the answer
/// means the prompt is durable.
/// </summary>
internal static class RunStarter
{
    public static async Task<GatewayReply> StartAsync(
        GatewayContext context,
        GatewayCall call,
        string idempotencyKey,
        SessionKey sessionKey,
        string prompt,
        RunKind kind,
        long? timeoutMs,
        Func<ChatRun, string> acknowledge,
        bool finalPending = false,
        bool isHeartbeat = false)
    {
        var method = call.Method;
        if (context.Runs.TryGetAcknowledgement(method, idempotencyKey, out var earlier))
        {
            return Reply(earlier, idempotencyKey, finalPending);
        }

        if (context.Runs.FindActive(idempotencyKey) is not null)
        {
            return GatewayReply.Failure(GatewayError.InvalidRequest(
                $"invalid {method} params: idempotencyKey \"{idempotencyKey}\" is already used by a run in progress"));
        }

        if (context.Runs.ActiveCount >= context.Options.MaxConcurrentRuns)
        {
            return GatewayReplies.Unavailable(
                $"too many runs in progress for this tenant (at most {context.Options.MaxConcurrentRuns}); retry when one has finished",
                retryable: true, retryAfterMs: 1000);
        }

        if (StorageQuota.Refusal(context, prompt) is { } refused)
        {
            return refused;
        }

        var timeout = context.Options.RunTimeout;
        if (timeoutMs is > 0 && TimeSpan.FromMilliseconds(timeoutMs.Value) < timeout)
        {
            timeout = TimeSpan.FromMilliseconds(timeoutMs.Value);
        }

        var run = context.Runs.Accept(idempotencyKey, method, sessionKey, prompt, kind, timeout, call.ClientId, call.ClientMode, isHeartbeat);
        var payload = acknowledge(run);
        run.Acknowledgement = payload;
        context.State.AddPendingRun(new PendingRunRecord
        {
            RunId = run.RunId,
            Method = method,
            SessionKey = sessionKey.Value,
            Prompt = prompt,
            AcceptedAt = run.AcceptedAt,
            ClientId = run.ClientId,
            ClientMode = run.ClientMode,
            Acknowledgement = payload,
        });

        // Durable before the answer: after a crash the prompt is recorded and a retry is answered.
        if (!await context.TrySaveAsync("accepting run " + run.RunId))
        {
            context.Runs.Reject(run);
            return GatewayReplies.Unavailable(
                "the message could not be stored, so nothing was started; retry with the same idempotencyKey",
                retryable: true, retryAfterMs: 1000);
        }

        context.Runs.RememberAcknowledgement(method, idempotencyKey, payload, AcknowledgementExpiry(context, run.AcceptedAt));
        context.Runs.Launch(run);
        return Reply(payload, run.RunId, finalPending);
    }

    /// <summary>When the answer to an idempotency key accepted at <paramref name="acceptedAtMs"/> expires (epoch ms).</summary>
    public static long AcknowledgementExpiry(GatewayContext context, long acceptedAtMs) =>
        acceptedAtMs + (long)context.Options.IdempotencyWindow.TotalMilliseconds;

    private static GatewayReply Reply(string payload, string runId, bool finalPending) =>
        GatewayReply.Success(payload) with { RunId = runId, FinalPending = finalPending };
}
