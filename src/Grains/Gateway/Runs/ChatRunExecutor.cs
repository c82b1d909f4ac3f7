using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Runs one chat run in the background of the activation: waits for its turn in the session,
/// appends the prompt to the transcript, streams the model's answer as events, then records the
/// answer, the session's run fields and the tenant's usage, and saves the state. Started without
/// being awaited by the turn that accepted the run; it continues on the activation's context and
/// interleaves with other turns only at its await points.
/// </summary>
internal sealed class ChatRunExecutor(GatewayContext context, RunEventPublisher events)
{
    public async Task ExecuteAsync(ChatRun run)
    {
        var token = run.Cancellation.Token;
        try
        {
            // Start after the accepting turn has answered: clients learn the run id from the ack
            // (chat.send, agent) before its first event, as with the reference gateway.
            await Task.Yield();
            if (!run.QueueGate.IsCompleted)
            {
                await run.QueueGate.WaitAsync(token);
            }

            if (run.IsEnded)
            {
                return;
            }

            await StreamAsync(run, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Aborted (already ended by whoever aborted it) or timed out (ended here).
            Finish(run, Ended(run, RunStatus.Error,
                errorMessage: $"The run timed out after {FormatSeconds(run.Timeout)}.",
                errorKind: "timeout"));
        }
        catch (LlmProviderException exception)
        {
            var message = Redact(exception.Message);
            UserGrainLog.RunProviderFailed(context.Logger, context.TenantId, run.RunId, run.Provider, exception.StatusCode, message);
            Finish(run, Ended(run, RunStatus.Error, errorMessage: message, errorKind: "provider"));
        }
        catch (Exception exception)
        {
            UserGrainLog.RunFailed(context.Logger, context.TenantId, run.RunId, exception);
            Finish(run, Ended(run, RunStatus.Error,
                errorMessage: "The model request failed unexpectedly.",
                errorKind: "internal"));
        }
        finally
        {
            run.Cancellation.Dispose();
            await context.TrySaveAsync("run " + run.RunId);
        }
    }

    /// <summary>
    /// Ends <paramref name="run"/> with <paramref name="outcome"/> unless it already ended: emits the
    /// closing events, records the transcript, session and usage, and wakes waiters. Synchronous,
    /// so that no other turn sees a half-ended run.
    /// </summary>
    public void Finish(ChatRun run, RunOutcome outcome)
    {
        if (!run.TryEnd(outcome))
        {
            return;
        }

        switch (outcome.Status)
        {
            case RunStatus.Ok:
                events.Completed(run, outcome);
                break;
            case RunStatus.Error:
                events.Failed(run, outcome);
                break;
            default:
                events.Aborted(run, outcome);
                break;
        }

        // No longer active before the session is recorded: its row must not say "running".
        context.Runs.OnRunEnded(run, outcome);
        RecordInSession(run, outcome);
        if (outcome.Status == RunStatus.Ok && outcome.Provider is not null && outcome.Model is not null)
        {
            context.State.Profile.Usage.Record(
                outcome.Provider, outcome.Model, outcome.InputTokens, outcome.OutputTokens,
                context.Time.GetUtcNow(), context.Options.UsageRetentionDays);
            context.State.MarkProfileDirty();
        }

        UserGrainLog.RunEnded(context.Logger, context.TenantId, run.RunId, outcome.Status, outcome.StopReason,
            outcome.InputTokens, outcome.OutputTokens);
        run.SignalCompletion();
    }

    /// <summary>The outcome of a run ending now, with what it produced so far.</summary>
    public RunOutcome Ended(ChatRun run, RunStatus status, string? stopReason = null, string? errorMessage = null,
        string? errorKind = null, LlmUsage? usage = null) => new()
    {
        RunId = run.RunId,
        SessionKey = run.SessionKey.Value,
        SessionId = run.SessionId,
        Status = status,
        Text = run.Text.ToString(),
        StopReason = stopReason ?? (status == RunStatus.Error ? "error" : null),
        ErrorMessage = errorMessage,
        ErrorKind = errorKind,
        InputTokens = usage?.InputTokens ?? 0,
        OutputTokens = usage?.OutputTokens ?? 0,
        Provider = run.Provider,
        Model = run.Model,
        AcceptedAt = run.AcceptedAt,
        StartedAt = run.StartedAt,
        EndedAt = context.NowMs(),
    };

    private async Task StreamAsync(ChatRun run, CancellationToken token)
    {
        var session = Start(run);
        var config = context.Config;
        run.Provider = config.Provider;
        run.Model = config.Model;

        if (run.Kind == RunKind.Chat)
        {
            events.Status(run, "preparing_workspace");
            events.Status(run, "preparing_context");
        }

        events.LifecycleStart(run);
        var request = PromptBuilder.Build(context, config, session);
        var provider = context.Providers.Get(config.Provider);
        if (run.Kind == RunKind.Chat)
        {
            events.Status(run, "starting_model");
        }

        events.LifecycleModel(run);

        LlmCompleted? completed = null;
        var endpoint = config.ToEndpoint();
        await foreach (var streamEvent in provider.StreamAsync(request, endpoint, token).WithCancellation(token))
        {
            if (run.IsEnded)
            {
                return;
            }

            switch (streamEvent)
            {
                case LlmTextDelta { Text.Length: > 0 } delta:
                    run.Text.Append(delta.Text);
                    events.AssistantDelta(run, delta.Text);
                    break;
                case LlmCompleted done:
                    completed = done;
                    break;
            }
        }

        if (run.IsEnded)
        {
            return;
        }

        Finish(run, Ended(run, RunStatus.Ok, stopReason: completed?.StopReason ?? "stop", usage: completed?.Usage ?? LlmUsage.None));
    }

    /// <summary>The run leaves the queue: its prompt joins the session's transcript.</summary>
    private SessionRecord Start(ChatRun run)
    {
        var now = context.NowMs();
        var session = context.Sessions.GetOrCreate(run.SessionKey, context.Runs.IsSessionBusy);
        run.SessionId = session.SessionId;
        run.StartedAt = now;

        var prompt = context.Sessions.Append(session, new TranscriptMessage
        {
            Role = TranscriptMessage.UserRole,
            Text = run.Prompt,
            Timestamp = run.AcceptedAt,
            RunId = run.RunId,
            IdempotencyKey = $"{run.RunId}:user",
            SenderClientId = run.ClientId,
            SenderClientMode = run.ClientMode,
        });
        session.LastInteractionAt = now;
        session.LastRunId = run.RunId;

        events.SessionChanged(run.SessionKey, session, reason: "send");
        events.SessionMessage(run.SessionKey, session, prompt);
        events.SessionChanged(run.SessionKey, session, phase: "start", runId: run.RunId);
        return session;
    }

    private void RecordInSession(ChatRun run, RunOutcome outcome)
    {
        if (run.StartedAt is null
            || context.Sessions.Find(run.SessionKey) is not { } session
            || session.SessionId != run.SessionId)
        {
            // Never started, or its session was reset or deleted meanwhile.
            return;
        }

        session.Status = outcome.Status switch
        {
            RunStatus.Ok => SessionRecord.StatusDone,
            RunStatus.Error => SessionRecord.StatusFailed,
            _ => SessionRecord.StatusAborted,
        };
        session.AbortedLastRun = outcome.Status == RunStatus.Aborted;
        session.LastRunError = outcome.ErrorMessage;
        session.StartedAt = outcome.StartedAt;
        session.EndedAt = outcome.EndedAt;
        if (outcome.Status == RunStatus.Ok)
        {
            session.InputTokens = outcome.InputTokens;
            session.OutputTokens = outcome.OutputTokens;
            session.Provider = outcome.Provider;
            session.Model = outcome.Model;
        }

        if (outcome.Text.Length > 0)
        {
            var answer = context.Sessions.Append(session, new TranscriptMessage
            {
                Role = TranscriptMessage.AssistantRole,
                Text = outcome.Text,
                Timestamp = outcome.EndedAt,
                RunId = run.RunId,
                Provider = outcome.Provider,
                Model = outcome.Model,
                StopReason = outcome.StopReason,
                InputTokens = outcome.Status == RunStatus.Ok ? outcome.InputTokens : null,
                OutputTokens = outcome.Status == RunStatus.Ok ? outcome.OutputTokens : null,
            });
            events.SessionMessage(run.SessionKey, session, answer);
        }

        context.Sessions.Touch(session);
        events.SessionChanged(run.SessionKey, session, phase: "end", runId: run.RunId);
    }

    private string Redact(string message)
    {
        var key = context.Config.ApiKey;
        return string.IsNullOrEmpty(key) || key.Length < 4 ? message : message.Replace(key, "***", StringComparison.Ordinal);
    }

    private static string FormatSeconds(TimeSpan timeout) =>
        $"{Math.Round(timeout.TotalSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} s";
}
