using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary><c>chat.history</c>, <c>chat.send</c> (answers at once; the run streams as events) and <c>chat.abort</c>.</summary>
internal sealed class ChatMethods(GatewayContext context) : IGatewayMethodGroup
{
    public const int MaxIdempotencyKeyLength = 256;
    private const int DefaultHistoryLimit = 200;
    private const int MaxHistoryLimit = 1000;

    public void Register(GatewayMethodTable table)
    {
        table.Add("chat.history", History);
        table.Add("chat.send", Send);
        table.Add("chat.abort", Abort);
    }

    private Task<GatewayReply> History(GatewayRequest request)
    {
        var key = SessionParams.RequiredKey(request, context, "sessionKey");
        var limit = (int)(request.Params.OptionalInteger("limit", 1, MaxHistoryLimit) ?? DefaultHistoryLimit);
        var maxChars = request.Params.OptionalInteger("maxChars", 1, int.MaxValue);
        request.Params.OptionalInteger("offset", 0, int.MaxValue);
        request.Params.OptionalString("cursor", 4096);

        var session = context.Sessions.Find(key);
        var stored = session?.Messages ?? [];
        var messages = stored.TakeLast(limit).ToList();
        var queued = context.Runs.ActiveRuns.Where(run => run.IsQueued && run.SessionKey.Equals(key)).ToList();

        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("sessionKey", key.Value);
            if (session is not null)
            {
                writer.WriteString("sessionId", session.SessionId);
            }

            writer.WriteStartArray("messages");
            foreach (var message in messages)
            {
                TranscriptMessageWriter.Write(writer, Truncated(message, maxChars));
            }

            writer.WriteEndArray();
            writer.WriteStartObject("pendingInputs");
            writer.WriteStartArray("items");
            foreach (var run in queued)
            {
                writer.WriteStartObject();
                writer.WriteString("id", run.RunId);
                writer.WriteNumber("acceptedAt", run.AcceptedAt);
                writer.WriteString("state", "queued");
                writer.WriteStartObject("message");
                writer.WriteString("role", TranscriptMessage.UserRole);
                writer.WriteString("content", run.Prompt);
                writer.WriteNumber("timestamp", run.AcceptedAt);
                writer.WriteEndObject();
                writer.WriteString("runId", run.RunId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("total", queued.Count);
            writer.WriteEndObject();
            writer.WriteBoolean("hasMore", stored.Count > messages.Count);
            writer.WriteNumber("totalMessages", stored.Count);
            ModelDefaultsWriter.WriteDefaults(writer, context);
            SessionRowWriter.Write(writer, "sessionInfo", context, key, session);
        });
        return Task.FromResult(GatewayReply.Success(payload));
    }

    private Task<GatewayReply> Send(GatewayRequest request)
    {
        var received = context.Time.GetTimestamp();
        var parameters = request.Params;
        var key = SessionParams.RequiredKey(request, context, "sessionKey");
        var message = parameters.RequiredString("message", context.Options.MaxMessageChars);
        var idempotencyKey = parameters.RequiredString("idempotencyKey", MaxIdempotencyKeyLength);
        var timeoutMs = parameters.OptionalInteger("timeoutMs", 0, int.MaxValue);
        parameters.OptionalBoolean("deliver");
        parameters.OptionalString("sessionId", 256);
        parameters.OptionalString("thinking", 64);
        parameters.OptionalString("queueMode", 64);
        SessionParams.AgentId(request, context);
        if (parameters.OptionalArrayLength("attachments") > 0)
        {
            throw new GatewayParamsException("attachments are not supported by this gateway");
        }

        return RunStarter.StartAsync(context, request.Call, idempotencyKey, key, message, RunKind.Chat, timeoutMs,
            run => JsonPayload.Object(writer =>
            {
                writer.WriteString("runId", run.RunId);
                writer.WriteString("status", "started");
                writer.WriteStartObject("serverTiming");
                writer.WriteNumber("receivedToAckMs", Math.Round(context.Time.GetElapsedTime(received).TotalMilliseconds, 3));
                writer.WriteNumber("loadSessionMs", 0);
                writer.WriteEndObject();
            }));
    }

    private async Task<GatewayReply> Abort(GatewayRequest request)
    {
        var key = SessionParams.RequiredKey(request, context, "sessionKey");
        var runId = request.Params.OptionalString("runId", MaxIdempotencyKeyLength, allowEmpty: false);

        var aborted = await context.Runs.AbortAsync(key, runId, RunEventPublisher.StopReasonAbortedByClient);
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteBoolean("aborted", aborted.Count > 0);
            writer.WriteStringArray("runIds", aborted);
        });
        return GatewayReply.Success(payload);
    }

    private static TranscriptMessage Truncated(TranscriptMessage message, long? maxChars)
    {
        if (maxChars is not { } max || message.Text.Length <= max)
        {
            return message;
        }

        return message with { Text = message.Text[..(int)max] };
    }
}
