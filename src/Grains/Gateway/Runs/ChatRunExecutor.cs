using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Runs one chat run in the background of the activation: waits for its turn in the session,
/// appends the prompt to the transcript, streams the model's answer as events, then records the
/// answer, the session's run fields and the tenant's usage, saves the state, and only then emits
/// the terminal event. Started without being awaited by the turn that accepted the run; it
/// continues on the activation's context and interleaves with other turns only at its await points.
/// </summary>
internal sealed class ChatRunExecutor(GatewayContext context, RunEventPublisher events)
{
    /// <summary>The stop reason of runs aborted because the activation is shutting down.</summary>
    public const string ShutdownStopReason = "shutdown";

    /// <summary>The stop reason of a run whose answer reached <see cref="UserGrainOptions.MaxAnswerChars"/>.</summary>
    public const string LengthStopReason = "length";

    /// <summary>The error kind of a run stopped at <see cref="UserGrainOptions.MaxToolRounds"/>.</summary>
    public const string ToolLoopErrorKind = "tool_loop";

    private ToolCallRunner? _toolRunner;

    private ToolCallRunner ToolRunner => _toolRunner ??= new ToolCallRunner(context, events);

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
            await FinishAsync(run, Ended(run, RunStatus.Error,
                errorMessage: $"The run timed out after {FormatSeconds(run.Timeout)}.",
                errorKind: "timeout"));
        }
        catch (LlmProviderException exception)
        {
            var message = Redact(exception.Message);
            UserGrainLog.RunProviderFailed(context.Logger, context.TenantId, run.RunId, run.Provider, exception.StatusCode, message);
            await FinishAsync(run, Ended(run, RunStatus.Error, errorMessage: message, errorKind: "provider"));
        }
        catch (Exception exception)
        {
            UserGrainLog.RunFailed(context.Logger, context.TenantId, run.RunId, exception);
            await FinishAsync(run, Ended(run, RunStatus.Error,
                errorMessage: "The model request failed unexpectedly.",
                errorKind: "internal"));
        }
        finally
        {
            // Every way a run ends went through FinishAsync, which saved.
            run.Cancellation.Dispose();
        }
    }

    /// <summary>
    /// Ends <paramref name="run"/> with <paramref name="outcome"/> unless it already ended. The end
    /// is recorded at once (no other turn sees a half-ended run): transcript, session fields,
    /// usage, the answer to its idempotency key. Then it is stored, and only then announced (the
    /// closing events) and waiters woken: a client that saw <c>final</c> finds the reply after a crash.
    /// </summary>
    public async Task FinishAsync(ChatRun run, RunOutcome outcome)
    {
        outcome = Cron.HeartbeatReply.Suppress(run, outcome);
        if (!run.TryEnd(outcome))
        {
            return;
        }

        // No longer active before the session is recorded: its row must not say "running".
        context.Runs.OnRunEnded(run, outcome);
        var recorded = RecordInSession(run, outcome);
        if (outcome.Status == RunStatus.Ok && outcome.Provider is not null && outcome.Model is not null)
        {
            context.State.Profile.Usage.Record(
                outcome.Provider, outcome.Model, outcome.InputTokens, outcome.OutputTokens,
                context.Time.GetUtcNow(), context.Options.UsageRetentionDays);
            context.State.MarkProfileDirty();
        }

        // A run still queued when the activation stops keeps its pending record: the next
        // activation records its prompt as interrupted instead of dropping it. Otherwise its first
        // answer moves to its session, stored with it now. A run that recorded its end in its
        // session lets a later save release its pending record (the next accepted run usually
        // overwrites that record anyway; after a crash the session says the run ended).
        var keepPending = run.StartedAt is null && outcome.StopReason == ShutdownStopReason;
        if (!keepPending)
        {
            KeepAcknowledgement(run);
            if (recorded is null)
            {
                context.State.RemovePendingRun(run.RunId);
            }
        }

        await context.TrySaveAsync("run " + run.RunId);
        if (recorded is not null)
        {
            context.State.RemovePendingRun(run.RunId);
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

        if (recorded is var (session, answer))
        {
            if (answer is not null)
            {
                events.SessionMessage(run.SessionKey, session, answer);
            }

            events.SessionChanged(run.SessionKey, session, phase: "end", runId: run.RunId);
        }

        context.Instruments?.RunEnded(outcome.Status, outcome.ErrorKind);
        UserGrainLog.RunEnded(context.Logger, context.TenantId, run.RunId, outcome.Status, outcome.StopReason,
            outcome.InputTokens, outcome.OutputTokens);
        run.SignalCompletion();
    }

    /// <summary>The run's first answer goes with its session (if it still has one) for the idempotency window.</summary>
    private void KeepAcknowledgement(ChatRun run)
    {
        if (context.Sessions.Find(run.SessionKey) is { } session)
        {
            context.Sessions.RememberAcknowledgement(session, new AcknowledgementRecord
            {
                Method = run.Method,
                IdempotencyKey = run.RunId,
                Payload = run.Acknowledgement,
                ExpiresAt = RunStarter.AcknowledgementExpiry(context, run.AcceptedAt),
            });
        }
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

    /// <summary>
    /// The agent loop: streams a model turn; when the turn called tools, records it, runs the calls
    /// one after the other (in the order the model made them), records their results, and streams
    /// another turn, until the model answers without tools. At most
    /// <see cref="UserGrainOptions.MaxToolRounds"/> tool rounds: a model that asks for more ends
    /// the run with a <c>tool_loop</c> error.
    /// </summary>
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
        var tools = Agent.ToolPolicy.ForRun(context, run, context.Tools);
        var toolsByName = new Dictionary<string, Agent.IAgentTool>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            toolsByName.TryAdd(tool.Name, tool);
        }

        var definitions = toolsByName.Values.Select(tool => new LlmToolDefinition(tool.Name, tool.Description, tool.ParametersJson)).ToList();
        var systemPrompt = await Agent.SystemPromptBuilder.BuildAsync(context, run, session, tools, token);
        if (run.IsEnded)
        {
            return;
        }

        var provider = context.Providers.Get(config.Provider);
        if (run.Kind == RunKind.Chat)
        {
            events.Status(run, "starting_model");
        }

        events.LifecycleModel(run);
        var endpoint = config.ToEndpoint();
        var usage = LlmUsage.None;
        for (var round = 0; ; round++)
        {
            var request = PromptBuilder.Build(context, config, session, systemPrompt, definitions);
            var turn = await StreamTurnAsync(run, provider, request, endpoint, token);
            if (turn is null || run.IsEnded)
            {
                return;
            }

            usage = new LlmUsage(usage.InputTokens + turn.Usage.InputTokens, usage.OutputTokens + turn.Usage.OutputTokens);
            if (turn.ToolCalls.Count == 0 || turn.Cut)
            {
                var stopReason = turn.Cut ? LengthStopReason : turn.StopReason == LlmCompleted.ToolUse ? "stop" : turn.StopReason;
                await FinishAsync(run, Ended(run, RunStatus.Ok, stopReason: stopReason, usage: usage));
                return;
            }

            session = RecordToolTurn(run, session, turn);
            if (round >= context.Options.MaxToolRounds)
            {
                await RefuseToolRoundAsync(run, session, turn);
                return;
            }

            foreach (var call in turn.ToolCalls)
            {
                var state = new ToolCallState(call.Id, call.Name, call.ArgumentsJson, context.NowMs());
                events.ToolStarted(run, state);
                var result = await ToolRunner.RunAsync(run, call, state, toolsByName, token);
                if (run.IsEnded)
                {
                    return;
                }

                state.EndedAt = context.NowMs();
                state.Meta = result.Meta;
                state.Failed = result.IsError;
                events.ToolFinished(run, state, result);
                RecordToolResult(run, session, call, result);
            }

            // A crash from here on still finds the tool round in the transcript.
            await context.TrySaveAsync("run " + run.RunId + " tools");
            if (run.IsEnded)
            {
                return;
            }
        }
    }

    /// <summary>What one model turn produced.</summary>
    private sealed record Turn(string StopReason, LlmUsage Usage, IReadOnlyList<LlmToolCall> ToolCalls, bool Cut);

    /// <summary>Streams one turn: its text into the run's text (and live events), its tool calls collected; null when the run ended meanwhile.</summary>
    private async Task<Turn?> StreamTurnAsync(ChatRun run, ILlmProvider provider, LlmRequest request, LlmEndpoint endpoint, CancellationToken token)
    {
        LlmCompleted? completed = null;
        var cut = false;
        var calls = new List<LlmToolCall>();
        await foreach (var streamEvent in provider.StreamAsync(request, endpoint, token).WithCancellation(token))
        {
            if (run.IsEnded)
            {
                return null;
            }

            switch (streamEvent)
            {
                case LlmTextDelta { Text.Length: > 0 } delta:
                    var piece = Fit(delta.Text, context.Options.MaxAnswerChars - run.Text.Length);
                    if (piece.Length > 0)
                    {
                        run.Text.Append(piece);
                        events.AssistantText(run, piece);
                    }

                    cut = piece.Length < delta.Text.Length;
                    break;
                case LlmToolCall call:
                    calls.Add(call);
                    break;
                case LlmCompleted done:
                    completed = done;
                    break;
            }

            if (cut)
            {
                break;
            }
        }

        return run.IsEnded ? null : new Turn(completed?.StopReason ?? "stop", completed?.Usage ?? LlmUsage.None, calls, cut);
    }

    /// <summary>
    /// The turn's text and calls become an assistant message (stop reason <c>toolUse</c>); its text
    /// goes out before the first tool event, and the run's text starts over for the next turn.
    /// </summary>
    private SessionRecord RecordToolTurn(ChatRun run, SessionRecord session, Turn turn)
    {
        events.FlushText(run);
        var text = run.Text.ToString();
        run.Text.Clear();
        if (!IsCurrent(run, session))
        {
            return session;
        }

        var message = context.Sessions.Append(session, new TranscriptMessage
        {
            Role = TranscriptMessage.AssistantRole,
            Text = text,
            Timestamp = context.NowMs(),
            RunId = run.RunId,
            Provider = run.Provider,
            Model = run.Model,
            StopReason = LlmCompleted.ToolUse,
            InputTokens = turn.Usage.InputTokens,
            OutputTokens = turn.Usage.OutputTokens,
            ToolCalls = turn.ToolCalls.Select(call => new TranscriptToolCall { Id = call.Id, Name = call.Name, ArgumentsJson = call.ArgumentsJson }).ToList(),
        });
        context.Sessions.Touch(session);
        events.ToolMessage(run, session, message);
        return session;
    }

    private void RecordToolResult(ChatRun run, SessionRecord session, LlmToolCall call, Agent.ToolResult result)
    {
        if (!IsCurrent(run, session))
        {
            return;
        }

        var message = context.Sessions.Append(session, new TranscriptMessage
        {
            Role = TranscriptMessage.ToolResultRole,
            Text = result.Text,
            Timestamp = context.NowMs(),
            RunId = run.RunId,
            ToolCallId = call.Id,
            ToolName = call.Name,
            DetailsJson = result.DetailsJson,
            IsError = result.IsError,
        });
        context.Sessions.Touch(session);
        events.ToolMessage(run, session, message);
    }

    /// <summary>The model asked for tools once more than allowed: its calls are answered as not run, and the run fails.</summary>
    private async Task RefuseToolRoundAsync(ChatRun run, SessionRecord session, Turn turn)
    {
        var rounds = context.Options.MaxToolRounds;
        var message = $"The run stopped after {rounds} tool rounds: the model kept calling tools.";
        foreach (var call in turn.ToolCalls)
        {
            RecordToolResult(run, session, call, Agent.ToolResult.Error($"Tool {call.Name} was not run: {message}"));
        }

        AgentLoopLog.ToolRoundsExhausted(context.Logger, context.TenantId, run.RunId, rounds);
        await FinishAsync(run, Ended(run, RunStatus.Error, errorMessage: message, errorKind: ToolLoopErrorKind));
    }

    /// <summary>True while the run's session is still the one it started in (not reset or deleted meanwhile).</summary>
    private bool IsCurrent(ChatRun run, SessionRecord session) =>
        context.Sessions.Find(run.SessionKey) is { } current && current.SessionId == run.SessionId && ReferenceEquals(current, session);

    /// <summary>As much of <paramref name="text"/> as fits in <paramref name="room"/> characters, never splitting a surrogate pair.</summary>
    private static string Fit(string text, int room)
    {
        if (text.Length <= room)
        {
            return text;
        }

        var length = Math.Max(0, room);
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
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
        session.Status = SessionRecord.StatusRunning;
        context.State.SessionChanged(session);

        events.SessionChanged(run.SessionKey, session, reason: "send");
        events.SessionMessage(run.SessionKey, session, prompt);
        events.SessionChanged(run.SessionKey, session, phase: "start", runId: run.RunId);
        return session;
    }

    /// <summary>Records the end in the run's session; the session and the answer appended (if any), or null when the run never started or its session was reset or deleted meanwhile.</summary>
    private (SessionRecord Session, TranscriptMessage? Answer)? RecordInSession(ChatRun run, RunOutcome outcome)
    {
        if (run.StartedAt is null
            || context.Sessions.Find(run.SessionKey) is not { } session
            || session.SessionId != run.SessionId)
        {
            return null;
        }

        session.Status = outcome.Status switch
        {
            RunStatus.Ok => SessionRecord.StatusDone,
            RunStatus.Error => SessionRecord.StatusFailed,
            _ => SessionRecord.StatusAborted,
        };
        session.AbortedLastRun = outcome.Status == RunStatus.Aborted;
        session.LastRunError = outcome.ErrorMessage;
        session.LastEndedRunId = run.RunId;
        session.StartedAt = outcome.StartedAt;
        session.EndedAt = outcome.EndedAt;
        if (outcome.Status == RunStatus.Ok)
        {
            session.InputTokens = outcome.InputTokens;
            session.OutputTokens = outcome.OutputTokens;
            session.Provider = outcome.Provider;
            session.Model = outcome.Model;
        }

        TranscriptMessage? answer = null;
        if (outcome.Text.Length > 0)
        {
            answer = context.Sessions.Append(session, new TranscriptMessage
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
        }

        context.Sessions.Touch(session);
        return (session, answer);
    }

    private string Redact(string message)
    {
        var stored = context.Config.ApiKey;
        message = RedactOne(message, stored);
        if (Secrets.TenantSecrets.IsProtected(stored) && context.Secrets is { } secrets)
        {
            try
            {
                // A provider may echo the key it was sent, which is the decrypted one.
                message = RedactOne(message, secrets.Unprotect(stored!));
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Then it was never sent either.
            }
        }

        return message;

        static string RedactOne(string text, string? key) =>
            string.IsNullOrEmpty(key) || key.Length < 4 ? text : text.Replace(key, "***", StringComparison.Ordinal);
    }

    private static string FormatSeconds(TimeSpan timeout) =>
        $"{Math.Round(timeout.TotalSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} s";
}
