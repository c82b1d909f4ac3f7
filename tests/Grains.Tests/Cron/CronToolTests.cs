using System.Text.Json;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Gateway.Cron;

namespace OpenClaw.Grains.Tests.Cron;

/// <summary>The agent's <c>cron</c> / <c>automations</c> tool: the tenant's own jobs, validated like the methods.</summary>
public sealed class CronToolTests
{
    private static Task<ToolResult> CallAsync(CronHarness h, object arguments, string tool = CronTool.CronName) =>
        h.Gateway.Activation.RunAsync(() =>
        {
            var instance = h.Gateway.Context.Tools.Single(t => t.Name == tool);
            var run = new ChatRun("tool-run", "agent", new SessionKey("main", "work"), "p", RunKind.Agent, h.NowMs, TimeSpan.FromMinutes(1), h.Time);
            var call = new AgentToolCall("call-1", tool, JsonSerializer.SerializeToElement(arguments));
            return instance.ExecuteAsync(call, new ToolRunContext { Gateway = h.Gateway.Context, Run = run, ToolCallId = "call-1" }, CancellationToken.None);
        });

    [Fact]
    public async Task The_catalog_offers_cron_and_its_alias_automations()
    {
        using var h = CronHarness.Create();
        var names = await h.Gateway.Read(c => c.Tools.Select(t => t.Name).ToList());
        Assert.Contains("cron", names);
        Assert.Contains("automations", names);
        using var schema = JsonDocument.Parse(await h.Gateway.Read(c => c.Tools.First(t => t.Name == "cron").ParametersJson));
        Assert.Equal("object", schema.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Add_list_and_remove_through_the_tool()
    {
        using var h = CronHarness.Create();
        var added = await CallAsync(h, new
        {
            action = "add",
            job = new { name = "stretch", schedule = new { kind = "every", everyMs = 3_600_000 }, payload = new { kind = "agentTurn", message = "Remind me to stretch." }, sessionTarget = "current" },
        }, CronTool.AutomationsName);
        Assert.False(added.IsError, added.Text);
        using var job = JsonDocument.Parse(added.Text);
        var id = job.RootElement.GetProperty("id").GetString()!;
        Assert.Equal("session:agent:main:work", job.RootElement.GetProperty("sessionTarget").GetString());
        Assert.NotNull(h.Schedule.Current);

        var list = await CallAsync(h, new { action = "list" });
        Assert.Contains(id, list.Text, StringComparison.Ordinal);

        var removed = await CallAsync(h, new { action = "remove", jobId = id });
        Assert.False(removed.IsError, removed.Text);
        Assert.Equal(0, (await h.OkAsync("cron.list", new { includeDisabled = true })).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_tool_refuses_what_the_methods_refuse()
    {
        using var h = CronHarness.Create();
        var command = await CallAsync(h, new { action = "add", job = new { name = "x", schedule = new { kind = "every", everyMs = 3_600_000 }, payload = new { kind = "command", argv = new[] { "ls" } } } });
        Assert.True(command.IsError);
        Assert.Contains("runs no tenant code", command.Text, StringComparison.Ordinal);

        var unknown = await CallAsync(h, new { action = "get", jobId = "someone-elses-job" });
        Assert.True(unknown.IsError);
        Assert.Contains("unknown cron job id", unknown.Text, StringComparison.Ordinal);

        var action = await CallAsync(h, new { action = "exec" });
        Assert.True(action.IsError);
        Assert.Contains("unknown action", action.Text, StringComparison.Ordinal);
    }
}
