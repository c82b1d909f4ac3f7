using System.Text;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Emits a run's events with the reference gateway's names and shapes (<c>chat</c> and
/// <c>agent</c> to every connection of the tenant; <c>sessions.changed</c> and
/// <c>session.message</c> to session subscribers). Every <c>agent</c> event takes the run's next
/// seq; the <c>chat</c> event derived from it carries the same seq, as in the reference. Live
/// text is paced and the bytes of a run's events are bounded (see <see cref="AssistantText"/>).
/// </summary>
internal sealed partial class RunEventPublisher(GatewayContext context)
{
    public const string StopReasonAbortedByClient = "rpc";

    /// <summary><c>chat</c> state "status" and <c>agent</c> stream "run_status" for a preparation phase.</summary>
    public void Status(ChatRun run, string phase)
    {
        var seq = run.NextSeq();
        PublishChat(run, seq, "status", writer => writer.WriteString("phase", phase));
        PublishAgent(run, seq, "run_status", includeSessionId: false, writer => writer.WriteString("phase", phase));
    }

    public void LifecycleStart(ChatRun run) =>
        PublishAgent(run, run.NextSeq(), "lifecycle", includeSessionId: true, writer =>
        {
            writer.WriteString("phase", "start");
            writer.WriteNumber("startedAt", run.StartedAt ?? context.NowMs());
        });

    public void LifecycleModel(ChatRun run) =>
        PublishAgent(run, run.NextSeq(), "lifecycle", includeSessionId: true, writer =>
        {
            writer.WriteString("phase", "model");
            writer.WriteStringOrNull("provider", run.Provider);
            writer.WriteStringOrNull("model", run.Model);
        });

    /// <summary>
    /// A piece of the answer (already appended to the run's text). Paced as the reference gateway
    /// paces live text: the first piece goes at once, later ones at most once per
    /// <see cref="UserGrainOptions.LiveTextPacing"/>; pieces arriving sooner are merged into one
    /// flush scheduled for the end of the interval (on the activation's clock), so a fast stream
    /// does not send every token to every socket.
    /// </summary>
    public void AssistantText(ChatRun run, string piece)
    {
        if (run.IsHeartbeat)
        {
            return; // a heartbeat's answer is announced with its final only, and not at all when it is silent
        }

        var live = run.LiveText;
        live.Pending.Append(piece);
        if (live.LastSentAt is not { } lastSent)
        {
            FlushText(run);
            return;
        }

        var wait = context.Options.LiveTextPacing - context.Time.GetElapsedTime(lastSent);
        if (wait <= TimeSpan.Zero)
        {
            FlushText(run);
        }
        else if (!live.FlushScheduled)
        {
            live.FlushScheduled = true;
            _ = FlushLaterAsync(run, wait);
        }
    }

    /// <summary>
    /// Sends the text received since the last text events: <c>agent</c> assistant {text, delta,
    /// itemId} and <c>chat</c> delta {deltaText, message with the answer so far}. Once the run's
    /// events reach <see cref="UserGrainOptions.MaxRunEventBytes"/> no more text events are sent.
    /// </summary>
    public void FlushText(ChatRun run)
    {
        var live = run.LiveText;
        if (live.Pending.Length == 0)
        {
            return;
        }

        var delta = live.Pending.ToString();
        live.Pending.Clear();
        live.LastSentAt = context.Time.GetTimestamp();
        if (live.Stopped)
        {
            return;
        }

        var text = run.Text.ToString();
        var shown = text.Length <= context.Options.MaxLiveTextChars ? text : TailOf(text, context.Options.MaxLiveTextChars);
        if (live.EventBytes + EstimatedTextEventBytes(text, shown, delta) > context.Options.MaxRunEventBytes)
        {
            live.Stopped = true;
            UserGrainLog.RunLiveTextStopped(context.Logger, context.TenantId, run.RunId, live.EventBytes);
            return;
        }

        var seq = run.NextSeq();
        PublishAgent(run, seq, "assistant", includeSessionId: false, writer =>
        {
            writer.WriteString("text", text);
            writer.WriteString("delta", delta);
            writer.WriteString("itemId", run.ItemId);
        });
        PublishChat(run, seq, "delta", writer =>
        {
            writer.WriteString("deltaText", delta);
            WriteAssistantMessage(writer, shown);
        });
    }

    /// <summary>usage, lifecycle finishing and end, then <c>chat</c> final with the full message, stopReason and usage.</summary>
    public void Completed(ChatRun run, RunOutcome outcome)
    {
        FlushText(run);
        PublishAgent(run, run.NextSeq(), "usage", includeSessionId: false, writer =>
        {
            writer.WriteNumber("inputTokens", outcome.InputTokens);
            writer.WriteNumber("outputTokens", outcome.OutputTokens);
        });
        PublishAgent(run, run.NextSeq(), "lifecycle", includeSessionId: true, writer =>
        {
            writer.WriteString("phase", "finishing");
            writer.WriteString("stopReason", outcome.StopReason);
            writer.WriteBoolean("aborted", false);
            writer.WriteNumber("endedAt", outcome.EndedAt);
        });

        var seq = run.NextSeq();
        PublishAgent(run, seq, "lifecycle", includeSessionId: true, writer =>
        {
            writer.WriteString("phase", "end");
            writer.WriteNumberOrNull("startedAt", outcome.StartedAt);
            writer.WriteNumber("endedAt", outcome.EndedAt);
            writer.WriteBoolean("aborted", false);
            writer.WriteString("stopReason", outcome.StopReason);
            writer.WriteStartObject("terminalReply");
            writer.WriteString("disposition", "visible");
            writer.WriteString("text", outcome.Text);
            writer.WriteEndObject();
        });
        PublishChat(run, seq, "final", writer =>
        {
            writer.WriteString("stopReason", outcome.StopReason);
            WriteAssistantMessage(writer, outcome.Text);
            TranscriptMessageWriter.WriteUsage(writer, outcome.InputTokens, outcome.OutputTokens);
        });
    }

    /// <summary><c>agent</c> lifecycle "error" then <c>chat</c> state "error" with the error message.</summary>
    public void Failed(ChatRun run, RunOutcome outcome)
    {
        FlushText(run);
        var seq = run.NextSeq();
        PublishAgent(run, seq, "lifecycle", includeSessionId: true, writer =>
        {
            writer.WriteString("phase", "error");
            writer.WriteString("error", outcome.ErrorMessage);
            writer.WriteNumberOrNull("startedAt", outcome.StartedAt);
            writer.WriteNumber("endedAt", outcome.EndedAt);
        });
        PublishChat(run, seq, "error", writer =>
        {
            writer.WriteString("errorMessage", outcome.ErrorMessage);
            if (outcome.ErrorKind is not null)
            {
                writer.WriteString("errorKind", outcome.ErrorKind);
            }
        });
    }

    /// <summary><c>chat</c> state "aborted" then <c>agent</c> lifecycle end with status "cancelled" (the reference's order).</summary>
    public void Aborted(ChatRun run, RunOutcome outcome)
    {
        FlushText(run);
        var seq = run.NextSeq();
        PublishChat(run, seq, "aborted", writer =>
        {
            writer.WriteString("stopReason", outcome.StopReason);
            if (outcome.Text.Length > 0)
            {
                WriteAssistantMessage(writer, outcome.Text);
            }
        });
        PublishAgent(run, seq, "lifecycle", includeSessionId: true, writer =>
        {
            writer.WriteString("phase", "end");
            writer.WriteString("status", "cancelled");
            writer.WriteBoolean("aborted", true);
            writer.WriteString("stopReason", outcome.StopReason);
            writer.WriteNumber("endedAt", outcome.EndedAt);
        });
    }

    /// <summary>
    /// <c>sessions.changed</c> with a <c>reason</c> (send, reset, delete) or a run <c>phase</c>
    /// (start, end); carries the session row as <c>session</c> and spread at the top level.
    /// </summary>
    public void SessionChanged(SessionKey key, SessionRecord? session, string? reason = null, string? phase = null, string? runId = null)
    {
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("sessionKey", key.Value);
            writer.WriteString("agentId", key.AgentId);
            if (reason is not null)
            {
                writer.WriteString("reason", reason);
            }

            if (phase is not null)
            {
                writer.WriteString("phase", phase);
            }

            if (runId is not null)
            {
                writer.WriteString("runId", runId);
            }

            writer.WriteNumber("ts", context.NowMs());
            if (session is not null)
            {
                SessionRowWriter.Write(writer, "session", context, key, session);
                SessionRowWriter.WriteFields(writer, context, key, session);
            }
        });
        context.Events.PublishToSessionSubscribers(new TenantEvent(TenantEventNames.SessionsChanged, payload));
    }

    /// <summary><c>session.message</c>: a message was added to a session's transcript.</summary>
    public void SessionMessage(SessionKey key, SessionRecord session, TranscriptMessage message)
    {
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("sessionKey", key.Value);
            writer.WriteString("agentId", key.AgentId);
            if (message.Role == TranscriptMessage.UserRole)
            {
                writer.WriteBoolean("senderIsOwner", true);
            }

            writer.WritePropertyName("message");
            TranscriptMessageWriter.Write(writer, message);
            writer.WriteString("messageId", message.Id);
            writer.WriteNumber("messageSeq", message.Seq);
            SessionRowWriter.Write(writer, "session", context, key, session);
            SessionRowWriter.WriteFields(writer, context, key, session);
            if (message.RunId is not null && message.Role == TranscriptMessage.AssistantRole)
            {
                writer.WriteString("runId", message.RunId);
            }
        });
        context.Events.PublishToSessionSubscribers(new TenantEvent(TenantEventNames.SessionMessage, payload));
    }

    private void WriteAssistantMessage(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject("message");
        writer.WriteString("role", TranscriptMessage.AssistantRole);
        TranscriptMessageWriter.WriteTextContent(writer, text);
        writer.WriteNumber("timestamp", context.NowMs());
        writer.WriteEndObject();
    }

    private async Task FlushLaterAsync(ChatRun run, TimeSpan wait)
    {
        // Continues on the activation's context (the caller's), like the run itself.
        await Task.Delay(wait, context.Time);
        run.LiveText.FlushScheduled = false;
        if (!run.IsEnded)
        {
            FlushText(run);
        }
    }

    /// <summary>The last <paramref name="length"/> characters of <paramref name="text"/>, never starting inside a surrogate pair.</summary>
    private static string TailOf(string text, int length)
    {
        var start = text.Length - length;
        if (start > 0 && char.IsLowSurrogate(text[start]))
        {
            start++;
        }

        return text[start..];
    }

    /// <summary>About the bytes of one text event pair: the texts plus the envelopes (JSON escapes can add a little).</summary>
    private static long EstimatedTextEventBytes(string text, string shown, string delta) =>
        Encoding.UTF8.GetByteCount(text) + Encoding.UTF8.GetByteCount(shown) + (2L * Encoding.UTF8.GetByteCount(delta)) + 1024;

    private void PublishChat(ChatRun run, int seq, string state, Action<Utf8JsonWriter> writeFields)
    {
        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("runId", run.RunId);
            writer.WriteString("sessionKey", run.SessionKey.Value);
            writer.WriteString("agentId", run.SessionKey.AgentId);
            writer.WriteNumber("seq", seq);
            writer.WriteString("state", state);
            writeFields(writer);
        });
        run.LiveText.EventBytes += Encoding.UTF8.GetByteCount(payload);
        context.Events.Publish(new TenantEvent(TenantEventNames.Chat, payload) { RequiredScope = GatewayMethodCatalog.ScopeRead });
    }

    private void PublishAgent(ChatRun run, int seq, string stream, bool includeSessionId, Action<Utf8JsonWriter> writeData)
    {
        var payload = AgentPayload(run, seq, stream, includeSessionId, writeData);
        run.LiveText.EventBytes += Encoding.UTF8.GetByteCount(payload);
        context.Events.Publish(new TenantEvent(TenantEventNames.Agent, payload) { RequiredScope = GatewayMethodCatalog.ScopeRead });
    }

    private string AgentPayload(ChatRun run, int seq, string stream, bool includeSessionId, Action<Utf8JsonWriter> writeData) =>
        JsonPayload.Object(writer =>
        {
            writer.WriteString("runId", run.RunId);
            writer.WriteString("sessionKey", run.SessionKey.Value);
            if (includeSessionId && run.SessionId.Length > 0)
            {
                writer.WriteString("sessionId", run.SessionId);
            }

            writer.WriteString("agentId", run.SessionKey.AgentId);
            writer.WriteString("stream", stream);
            writer.WriteStartObject("data");
            writeData(writer);
            writer.WriteEndObject();
            writer.WriteNumber("seq", seq);
            writer.WriteNumber("ts", context.NowMs());
            writer.WriteBoolean("isHeartbeat", run.IsHeartbeat);
        });
}
