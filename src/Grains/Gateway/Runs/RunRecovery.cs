namespace OpenClaw.Grains.Gateway;

/// <summary>
/// On activation, after the state is loaded: the answers to idempotency keys (kept with their
/// sessions) are remembered again, and every run that was acknowledged but had not ended (the process was killed, or it
/// stopped while the run was queued) is recorded as interrupted: its prompt joins the transcript
/// (if it was not there yet) followed by an assistant message saying so, and <c>agent.wait</c>
/// reports it as an error. Nothing is re-run; a retry of its idempotency key gets the first answer.
/// </summary>
internal static class RunRecovery
{
    public const string InterruptedMessage =
        "This run was interrupted by a gateway restart before it finished. Send the message again to retry.";

    public const string InterruptedErrorKind = "interrupted";

    /// <summary>Applies the recovery in memory; returns the number of interrupted runs (the caller saves).</summary>
    public static int Recover(GatewayContext context)
    {
        var now = context.NowMs();
        foreach (var acknowledgement in context.State.Sessions.Values.SelectMany(session => session.Acknowledgements ?? []))
        {
            context.Runs.RememberAcknowledgement(acknowledgement.Method, acknowledgement.IdempotencyKey, acknowledgement.Payload, acknowledgement.ExpiresAt);
        }

        var pending = context.State.PendingRuns.OrderBy(run => run.AcceptedAt).ToList();
        var interrupted = 0;
        foreach (var run in pending)
        {
            var expiresAt = RunStarter.AcknowledgementExpiry(context, run.AcceptedAt);
            context.Runs.RememberAcknowledgement(run.Method, run.RunId, run.Acknowledgement, expiresAt);
            if (RecordInterrupted(context, run, now, ref interrupted) is { } session)
            {
                context.Sessions.RememberAcknowledgement(session, new AcknowledgementRecord
                {
                    Method = run.Method,
                    IdempotencyKey = run.RunId,
                    Payload = run.Acknowledgement,
                    ExpiresAt = expiresAt,
                });
            }

            context.State.RemovePendingRun(run.RunId);
        }

        return interrupted;
    }

    /// <summary>Records the run as interrupted unless its session says it ended; returns its session.</summary>
    private static SessionRecord? RecordInterrupted(GatewayContext context, PendingRunRecord run, long now, ref int interrupted)
    {
        if (SessionKey.TryParse(run.SessionKey, out _) is not { } key)
        {
            return null;
        }

        var session = context.Sessions.GetOrCreate(key, _ => false);
        if (session.LastEndedRunId == run.RunId
            || session.Messages.Any(message => message.RunId == run.RunId && message.Role == TranscriptMessage.AssistantRole && !message.HasToolCalls))
        {
            // It ended and its end was stored; its pending record was not released yet. (An
            // assistant message with tool calls is a tool round, not the end.)
            return session;
        }

        if (!session.Messages.Any(message => message.RunId == run.RunId && message.Role == TranscriptMessage.UserRole))
        {
            context.Sessions.Append(session, new TranscriptMessage
            {
                Role = TranscriptMessage.UserRole,
                Text = run.Prompt,
                Timestamp = run.AcceptedAt,
                RunId = run.RunId,
                IdempotencyKey = $"{run.RunId}:user",
                SenderClientId = run.ClientId,
                SenderClientMode = run.ClientMode,
            });
        }

        interrupted++;
        context.Sessions.Append(session, new TranscriptMessage
        {
            Role = TranscriptMessage.AssistantRole,
            Text = InterruptedMessage,
            Timestamp = now,
            RunId = run.RunId,
            StopReason = "error",
        });
        session.LastRunId = run.RunId;
        session.LastEndedRunId = run.RunId;
        session.Status = SessionRecord.StatusFailed;
        session.LastRunError = InterruptedMessage;
        session.AbortedLastRun = false;
        session.EndedAt = now;
        context.Sessions.Touch(session);
        context.Runs.RememberOutcome(new RunOutcome
        {
            RunId = run.RunId,
            SessionKey = key.Value,
            SessionId = session.SessionId,
            Status = RunStatus.Error,
            StopReason = "error",
            ErrorMessage = InterruptedMessage,
            ErrorKind = InterruptedErrorKind,
            AcceptedAt = run.AcceptedAt,
            EndedAt = now,
        });
        return session;
    }
}
