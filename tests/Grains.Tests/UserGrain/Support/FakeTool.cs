using OpenClaw.Grains.Agent;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>A tool whose behaviour the test gives; counts its calls and keeps their arguments.</summary>
internal sealed class FakeTool(string name, Func<AgentToolCall, ToolRunContext, CancellationToken, Task<ToolResult>> execute) : IAgentTool
{
    private int _calls;

    public FakeTool(string name, string answer, string? meta = null)
        : this(name, (_, _, _) => Task.FromResult(ToolResult.Ok(answer, """{"kind":"text"}""", meta)))
    {
    }

    public string Name => name;

    public string Description => "Test tool " + name + ".";

    public string ParametersJson => """{"type":"object","properties":{"path":{"type":"string"}}}""";

    public int Calls => Volatile.Read(ref _calls);

    public List<string> Arguments { get; } = [];

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Arguments.Add(call.Arguments.GetRawText());
        return execute(call, context, cancellationToken);
    }
}
