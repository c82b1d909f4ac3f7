using System.Text.Json;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// Every method's payload against the real gateway's responses to the same method in the
/// reference transcript: same keys (except the ones listed in <see cref="Omitted"/>, each with a
/// reason) and the same JSON types.
/// </summary>
public sealed class PayloadShapeTests
{
    /// <summary>
    /// Session row fields of the reference this gateway does not have: multi-user session sharing
    /// inside one gateway (a tenant's gateway has one owner), cloud/device placement, context-budget
    /// internals and the transcript tree's leaf id.
    /// </summary>
    private static readonly string[] SessionRowOmitted =
    [
        "visibility", "createdVia", "createdActor", "owner", "participants", "expandedParticipants", "participantCount",
        "hiddenFromInvolvingMe", "sharingRole", "contextBudgetStatus", "placement", "activitySummary", "activeLeafEntryId",
        "agentRuntime.cloudPlacementExecutionMode", "agentRuntime.devicePlacement",
    ];

    /// <summary>
    /// Transcript message metadata about sender profiles (a tenant has one owner) and the storage
    /// position; and the optional delta cursor (not offered, so clients always read full pages).
    /// </summary>
    private static readonly string[] HistoryOmitted =
    [
        "messages[].__openclaw.senderId", "messages[].__openclaw.senderIdentity", "messages[].__openclaw.senderProfileAvatarUrl",
        "messages[].__openclaw.transcriptPosition", "messages[].__openclaw.transport.clients[].displayName", "deltaCursor",
        "messages[].api", "messages[].responseId", "messages[].usage.cost",
    ];

    /// <summary>Heartbeat runs do not exist here: the heartbeat is reported as disabled, without its prompt settings.</summary>
    private static readonly string[] HeartbeatOmitted = ["prompt", "target", "ackMaxChars", "waitingForRoute"];

    /// <summary>Host figures (process, event loop, worker pools, desktop): they describe the silo, not the tenant, and must not leak across tenants.</summary>
    private static readonly string[] EventLoopOmitted =
        ["eventLoop.intervalMs", "eventLoop.delayP99Ms", "eventLoop.delayMaxMs", "eventLoop.utilization", "eventLoop.cpuCoreRatio", "eventLoop.cpuBreakdown"];

    /// <summary>
    /// Fields the reference spreads into session events that are null there (archive, pin,
    /// decoration, swarm, goal, …): features this gateway does not have. Absent reads the same as
    /// null to the JavaScript clients.
    /// </summary>
    private static readonly string[] NullInReference =
    [
        "archivedAt", "archivedBy", "archiveReason", "pinnedAt", "markedUnreadAt", "agentStatus", "observerDigest",
        "controlOwnerSessionKey", "swarm", "permissionMode", "label", "autoLabel", "icon", "color", "channelAvatarUrl",
        "category", "boardPresentation", "displayName", "thinkingLevel", "toolOverrides", "restartRecoveryStatus", "goal",
        "lastRunError", "providerReview", "placementMove",
    ];

    /// <summary>Session event fields about sub-agents and automations, which this gateway does not run.</summary>
    private static readonly string[] SessionEventOmitted = ["ancestorSessions", "hasAutomation"];

    /// <summary>
    /// Run diagnostics of the real agent runner (prompt report, execution trace, request shaping,
    /// credential source, cost, liveness); the result keeps the payloads, usage, stop reason and timing.
    /// </summary>
    private static readonly string[] AgentResultOmitted =
    [
        "result.sourceReplyDeliveryState", "result.meta.systemPromptReport", "result.meta.finalPromptText",
        "result.meta.finalAssistantRawText", "result.meta.replayInvalid", "result.meta.livenessState",
        "result.meta.executionTrace", "result.meta.requestShaping", "result.meta.completion",
        "result.meta.agentMeta.contextTokensSource", "result.meta.agentMeta.agentHarnessId", "result.meta.agentMeta.credentialSource",
        "result.meta.agentMeta.usage.cost", "result.meta.agentMeta.lastCallUsage", "result.meta.agentMeta.contextBudgetStatus",
        "result.meta.agentMeta.codeModeEngaged", "result.meta.agentMeta.costUsd", "result.meta.agentMeta.terminalReceipt",
    ];

    private static readonly string[] SessionEventsOmitted =
    [
        .. SessionRowOmitted, .. SessionRowOmitted.Select(key => $"session.{key}"), .. NullInReference, .. SessionEventOmitted,
    ];

    /// <summary>The runner's internal settlement and replay bookkeeping; the end event keeps phase, times, stop reason and the reply.</summary>
    private static readonly string[] LifecycleOmitted =
        ["data.livenessState", "data.replayInvalid", "data.terminalReceipt", "data.executionSettled"];

    private static readonly Dictionary<string, string[]> Omitted = new()
    {
        ["event agent:lifecycle:end"] = LifecycleOmitted,
        ["event agent:lifecycle:finishing"] = LifecycleOmitted,
        ["agent.final"] = AgentResultOmitted,
        ["event sessions.changed:reason"] = SessionEventsOmitted,
        ["event sessions.changed:phase"] = SessionEventsOmitted,
        ["event session.message:user"] = [.. SessionEventsOmitted, .. HistoryOmitted.Select(key => key.Replace("messages[]", "message"))],
        ["event session.message:assistant"] = [.. SessionEventsOmitted, .. HistoryOmitted.Select(key => key.Replace("messages[]", "message"))],
        ["health"] = [.. EventLoopOmitted, .. HeartbeatOmitted.Select(key => $"agents[].heartbeat.{key}")],
        ["status"] =
        [
            .. EventLoopOmitted, .. HeartbeatOmitted.Select(key => $"heartbeat.agents[].{key}"),
            "hostDesktop", "processMemory", "workerPools", "pid", "shutdownBudget",
        ],
        ["sessions.list"] = [.. SessionRowOmitted.Select(key => $"sessions[].{key}")],
        ["sessions.describe"] = [.. SessionRowOmitted.Select(key => $"session.{key}")],
        ["chat.history"] = [.. HistoryOmitted, .. SessionRowOmitted.Select(key => $"sessionInfo.{key}")],
    };

    [Theory]
    [InlineData("health")]
    [InlineData("status")]
    [InlineData("sessions.list")]
    [InlineData("sessions.describe")]
    [InlineData("sessions.subscribe")]
    [InlineData("chat.history")]
    [InlineData("agents.list")]
    [InlineData("commands.list")]
    [InlineData("question.list")]
    [InlineData("plugin.approval.list")]
    [InlineData("taskSuggestions.list")]
    public async Task Read_method_payload_matches_the_reference(string method)
    {
        using var harness = GatewayHarness.Create();
        await harness.ChatAsync("say hello");

        foreach (var (parameters, reference) in ReferenceTranscript.RequestsFor(method).Zip(ReferenceTranscript.ResponsesTo(method)))
        {
            var reply = await harness.CallAsync(method, parameters.ValueKind == JsonValueKind.Undefined ? "{}" : parameters.GetRawText());
            Assert.True(reply.Ok, $"{method}: {reply.Error?.Message}");
            AssertShape(method, reference, GatewayHarness.Payload(reply));
        }
    }

    [Fact]
    public async Task Chat_send_and_abort_payloads_match_the_reference()
    {
        using var harness = GatewayHarness.Create();
        var control = harness.Provider.Control();
        var send = await harness.OkAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "please write a long answer", idempotencyKey = "run-1" });
        await harness.Provider.Started.Task;
        var abort = await harness.OkAsync("chat.abort", new { sessionKey = GatewayHarness.HarnessSession, runId = "run-1" });
        control.Complete();

        foreach (var reference in ReferenceTranscript.ResponsesTo("chat.send"))
        {
            AssertShape("chat.send", reference, send);
        }

        foreach (var reference in ReferenceTranscript.ResponsesTo("chat.abort"))
        {
            AssertShape("chat.abort", reference, abort);
        }
    }

    [Fact]
    public async Task Agent_accepted_and_final_payloads_match_the_reference()
    {
        using var harness = GatewayHarness.Create();
        var accepted = await harness.CallAsync("agent", new { message = "say hello", sessionKey = GatewayHarness.HarnessSession, deliver = false, timeout = 600, idempotencyKey = "agent-run-1" });
        Assert.True(accepted.FinalPending);
        var final = await harness.CallAsync(Interfaces.GatewayMethodCatalog.AgentFinal, new { runId = "agent-run-1" });
        Assert.True(final.Ok, final.Error?.Message);

        var references = ReferenceTranscript.ResponsesTo("agent");
        Assert.Equal(2, references.Count);
        AssertShape("agent", references[0], GatewayHarness.Payload(accepted));
        AssertShape("agent.final", references[1], GatewayHarness.Payload(final));
    }

    /// <summary>Each kind of event a run emits (chat state, agent stream and phase, session events) has the reference's fields and types.</summary>
    [Fact]
    public async Task Run_events_match_the_reference_events_of_the_same_kind()
    {
        using var harness = GatewayHarness.Create();
        await harness.OkAsync("sessions.subscribe");
        await harness.ChatAsync("say hello");
        var control = harness.Provider.Control();
        await harness.OkAsync("chat.send", new { sessionKey = GatewayHarness.HarnessSession, message = "long", idempotencyKey = "to-abort" });
        await harness.Provider.Started.Task;
        await harness.OkAsync("chat.abort", new { sessionKey = GatewayHarness.HarnessSession });
        control.Complete();

        var references = new Dictionary<string, JsonElement>();
        foreach (var name in new[] { "chat", "agent", "sessions.changed", "session.message" })
        {
            foreach (var payload in ReferenceTranscript.EventPayloads(name))
            {
                references.TryAdd(Kind(name, payload), payload);
            }
        }

        // The last event of each kind: by then the session has a previous run, as in the reference.
        var compared = new HashSet<string>();
        foreach (var recorded in harness.Events.Events.AsEnumerable().Reverse())
        {
            var kind = Kind(recorded.Name, recorded.Payload);
            Assert.True(references.TryGetValue(kind, out var reference), $"the reference has no event of kind {kind}");
            if (compared.Add(kind))
            {
                AssertShape("event " + kind, reference, recorded.Payload);
            }
        }

        Assert.Contains("chat:final", compared);
        Assert.Contains("chat:aborted", compared);
        Assert.Contains("agent:lifecycle:end", compared);
        Assert.Contains("agent:lifecycle:end:cancelled", compared);
        Assert.Contains("session.message:user", compared);
    }

    /// <summary><c>chat:delta</c>, <c>agent:lifecycle:start</c>, <c>sessions.changed:phase</c>, <c>session.message:assistant</c>, …</summary>
    private static string Kind(string name, JsonElement payload)
    {
        string? Get(JsonElement element, string property) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        return name switch
        {
            "chat" => Get(payload, "state") == "status" ? "chat:status" : $"chat:{Get(payload, "state")}",
            "agent" when Get(payload, "stream") is "lifecycle" =>
                $"agent:lifecycle:{Get(payload.GetProperty("data"), "phase")}" + (Get(payload.GetProperty("data"), "status") is { } status ? $":{status}" : ""),
            "agent" => $"agent:{Get(payload, "stream")}",
            "sessions.changed" => payload.TryGetProperty("phase", out _) ? "sessions.changed:phase" : "sessions.changed:reason",
            "session.message" => $"session.message:{Get(payload.GetProperty("message"), "role")}",
            _ => name,
        };
    }

    internal static void AssertShape(string method, JsonElement reference, JsonElement ours)
    {
        var omitted = new HashSet<string>(Omitted.GetValueOrDefault(method, []));
        var differences = JsonShape.Compare(reference, ours, omitted);
        Assert.True(differences.Count == 0, $"{method} payload differs from the reference:\n  " + string.Join("\n  ", differences));
    }
}
