using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// What <c>chat.send</c> and <c>agent</c> share when accepting a run: idempotency (a repeated
/// key gets the first answer and starts nothing), the per-tenant run limit, the timeout, and
/// remembering the answer.
/// </summary>
internal static class RunStarter
{
    public static GatewayReply Start(
        GatewayContext context,
        GatewayCall call,
        string idempotencyKey,
        SessionKey sessionKey,
        string prompt,
        RunKind kind,
        long? timeoutMs,
        Func<ChatRun, string> acknowledge,
        bool finalPending = false)
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

        var timeout = context.Options.RunTimeout;
        if (timeoutMs is > 0 && TimeSpan.FromMilliseconds(timeoutMs.Value) < timeout)
        {
            timeout = TimeSpan.FromMilliseconds(timeoutMs.Value);
        }

        var run = context.Runs.Start(idempotencyKey, sessionKey, prompt, kind, timeout, call.ClientId, call.ClientMode);
        var payload = acknowledge(run);
        context.Runs.RememberAcknowledgement(method, idempotencyKey, payload);
        return Reply(payload, run.RunId, finalPending);
    }

    private static GatewayReply Reply(string payload, string runId, bool finalPending) =>
        GatewayReply.Success(payload) with { RunId = runId, FinalPending = finalPending };
}
