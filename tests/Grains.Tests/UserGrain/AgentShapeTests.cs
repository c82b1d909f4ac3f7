using System.Text.Json;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>Tool events and history messages against <c>shared/protocol/reference-agent-shapes.json</c>.</summary>
public sealed class AgentShapeTests
{
    private static readonly Lazy<JsonElement> Shapes = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(ReferenceTranscript.Locate())!, "reference-agent-shapes.json"))).RootElement.Clone());

    private static async Task<(GatewayHarness Harness, string RunId)> RunAsync()
    {
        var write = new FakeTool("write", "Successfully wrote 16 bytes to notes/probe.txt", "to notes/probe.txt (16 chars)");
        var harness = GatewayHarness.Create(tools: [write]);
        harness.Provider.Script = (_, n) => n == 0
            ? ScriptedLlmProvider.ToolTurn(new OpenClaw.Grains.Llm.LlmToolCall("call_w", "write", """{"path":"notes/probe.txt","content":"probe\n"}"""))
            : ScriptedLlmProvider.AnswerTurn("DONE");
        var runId = await harness.ChatAsync("TOOLTEST write");
        return (harness, runId);
    }

    private static void AssertShape(JsonElement reference, JsonElement ours, params string[] omitted) =>
        Assert.Empty(JsonShape.Compare(reference, ours, omitted.ToHashSet()));

    [Fact]
    public async Task Tool_and_item_events_have_the_reference_shapes()
    {
        var (harness, runId) = await RunAsync();
        using var _ = harness;
        var events = harness.Events.RunEvents(runId);
        var toolEvents = Shapes.Value.GetProperty("toolEvents");

        AssertShape(toolEvents[0].GetProperty("payload"), events.First(e => e.Stream == "tool" && e.Phase == "start").Payload);
        AssertShape(toolEvents[1].GetProperty("payload").GetProperty("data"), events.First(e => e.Stream == "tool" && e.Phase == "result").Payload.GetProperty("data"),
            "result.details"); // what details hold is the tool's own (write's diff here)
        // A tool reports its meta with its result, so the item's start has none (its end has it).
        AssertShape(Shapes.Value.GetProperty("clientB_runB_samples").GetProperty("item"), events.First(e => e.Stream == "item").Payload, "data.meta");
        AssertShape(Shapes.Value.GetProperty("clientB_runB_samples").GetProperty("item"), events.Last(e => e.Stream == "item").Payload);
    }

    [Fact]
    public async Task History_tool_messages_have_the_reference_shapes()
    {
        var (harness, _) = await RunAsync();
        using var _h = harness;
        var ours = (await harness.OkAsync("chat.history", new { sessionKey = GatewayHarness.HarnessSession })).GetProperty("messages");
        var reference = Shapes.Value.GetProperty("tools.history.messages");

        string[] omitted = ["details", "api", "responseId", "usage.cost", "__openclaw.transcriptPosition", "__openclaw.recordTimestampMs"];
        AssertShape(reference[1], ours[1], omitted);
        AssertShape(reference[2], ours[2], omitted);
        AssertShape(reference[5], ours[3], omitted);
    }
}
