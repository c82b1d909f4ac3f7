using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Agent.Sessions;

/// <summary>
/// <c>sessions_send {sessionKey | label, message, timeoutSeconds?}</c>: starts a run in another of
/// the tenant's sessions with <paramref name="guard"/>'s bounds (calls per run, chain depth, tenant
/// rate) and the gateway's own (concurrent runs, storage quota, prompt size), then waits for its
/// answer up to <c>timeoutSeconds</c> (0: does not wait). The run's own session is refused: the
/// new run would queue behind the run waiting for it.
/// </summary>
internal sealed class SessionsSendTool(SessionSendGuard guard) : IAgentTool
{
    public const string ClientId = "sessions_send";

    public string Name => "sessions_send";

    public string Description =>
        "Send a message to another session of this agent (by sessionKey or label); it runs there, and the answer is returned unless timeoutSeconds is 0.";

    public string ParametersJson => $$$"""
        {"type":"object","properties":{
        "sessionKey":{"type":"string","description":"Target session key (from sessions_list)."},
        "label":{"type":"string","description":"Target session label, instead of sessionKey."},
        "message":{"type":"string","description":"The message to send."},
        "timeoutSeconds":{"type":"integer","minimum":0,"maximum":{{{SessionToolLimits.SendMaxWaitSeconds}}},"description":"How long to wait for the answer (0: do not wait; default {{{SessionToolLimits.SendDefaultWaitSeconds}}})."}},
        "required":["message"],"additionalProperties":false}
        """;

    public async Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        var gateway = context.Gateway;
        string? keyText, label;
        string message;
        int timeoutSeconds;
        try
        {
            var arguments = new GatewayParams(call.Arguments);
            keyText = arguments.OptionalString("sessionKey", SessionKey.MaxLength, allowEmpty: false);
            label = arguments.OptionalString("label", 512, allowEmpty: false);
            message = arguments.RequiredString("message", Math.Min(gateway.Options.MaxMessageChars, SessionToolLimits.SendMaxMessageChars), allowEmpty: false);
            timeoutSeconds = (int)(arguments.OptionalInteger("timeoutSeconds", 0, SessionToolLimits.SendMaxWaitSeconds) ?? SessionToolLimits.SendDefaultWaitSeconds);
            if ((keyText is null) == (label is null))
            {
                throw new GatewayParamsException("give exactly one of 'sessionKey' and 'label'");
            }
        }
        catch (GatewayParamsException ex)
        {
            throw SessionToolText.Invalid(Name, ex);
        }

        var (key, _) = keyText is not null ? SessionToolText.Find(gateway, keyText) : FindByLabel(gateway, label!);
        if (key.Equals(context.SessionKey))
        {
            throw new AgentToolException(
                $"sessions_send cannot send to this run's own session ({key.Value}): the message would wait behind the run that sent it",
                "SESSION_SEND_SELF");
        }

        if (guard.TryReserve(context.Run) is { } refusal)
        {
            throw new AgentToolException("sessions_send refused: " + refusal, "SESSION_SEND_LIMIT");
        }

        var runId = Guid.NewGuid().ToString();
        var runCall = new GatewayCall
        {
            Method = "agent",
            ConnectionId = "tool:" + context.ToolCallId,
            ClientId = ClientId,
            ClientMode = "internal",
        };
        var reply = await RunStarter.StartAsync(gateway, runCall, runId, key, message, RunKind.Agent, timeoutMs: null,
            run => JsonPayload.Object(writer =>
            {
                writer.WriteString("runId", run.RunId);
                writer.WriteString("status", "accepted");
                writer.WriteNumber("acceptedAt", run.AcceptedAt);
            }));
        if (!reply.Ok)
        {
            throw new AgentToolException("sessions_send could not start a run: " + (reply.Error?.Message ?? "refused"), reply.Error?.Code);
        }

        var started = gateway.Runs.FindActive(runId);
        if (started is not null)
        {
            guard.Started(context.Run, started);
        }

        RunOutcome? outcome = started is null ? gateway.Runs.FindOutcome(runId) : null;
        var waited = false;
        if (timeoutSeconds > 0 && started is not null)
        {
            waited = true;
            try
            {
                outcome = await started.Completion.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds), gateway.Time, cancellationToken);
            }
            catch (TimeoutException)
            {
                outcome = null;
            }
        }

        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteString("runId", runId);
            writer.WriteString("sessionKey", key.Value);
            if (outcome is null)
            {
                writer.WriteString("status", waited ? "timeout" : "accepted");
                return;
            }

            writer.WriteString("status", outcome.Status switch
            {
                RunStatus.Ok => "ok",
                RunStatus.Aborted => "aborted",
                _ => "error",
            });
            var text = outcome.Text.Length > SessionToolLimits.SendMaxReplyChars
                ? outcome.Text[..SessionToolLimits.SendMaxReplyChars] + "…(truncated)"
                : outcome.Text;
            writer.WriteString("reply", text);
            if (outcome.ErrorMessage is { } error)
            {
                writer.WriteString("error", error);
            }
        });
        return ToolResult.Ok(payload, payload, $"to {key.Value}");
    }

    private static (SessionKey Key, SessionRecord Session) FindByLabel(GatewayContext gateway, string label)
    {
        var session = gateway.Sessions.ListByRecency().FirstOrDefault(candidate => candidate.Label == label)
            ?? throw new AgentToolException($"session not found: no session is labelled \"{Workspace.WorkspacePaths.Printable(label)}\"", "SESSION_NOT_FOUND");
        return SessionToolText.Find(gateway, session.Key);
    }
}
