using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Agent.Web;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Tests.Agent.WebMemorySessions;
using OpenClaw.Grains.Tests.Egress;

namespace OpenClaw.Grains.Tests.Agent.Web;

/// <summary>A <c>web_fetch</c> tool wired as the silo wires it (egress policy, fake resolver, named client), with its services.</summary>
internal sealed class WebFetchFixture : IDisposable
{
    private readonly ServiceProvider _services;

    public WebFetchFixture(Action<EgressOptions>? egress = null, Action<WebFetchOptions>? fetch = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddEgressPolicy(configure: egress)
            .AddSingleton<IEgressHostResolver>(Resolver)
            .AddWebFetch(configure: fetch);
        _services = services.BuildServiceProvider(validateScopes: true);
        Fetcher = _services.GetRequiredService<WebFetcher>();
        Tool = new WebFetchTool(Fetcher);
        Gateway = ToolInvoker.Gateway(fetcher: Fetcher);
    }

    public FakeHostResolver Resolver { get; } = new();

    public WebFetcher Fetcher { get; }

    public WebFetchTool Tool { get; }

    public GatewayContext Gateway { get; }

    public Task<ToolResult> FetchAsync(object arguments) => ToolInvoker.InvokeAsync(Tool, Gateway, arguments);

    /// <summary>Fetches and expects a refusal; returns its message.</summary>
    public async Task<string> RefusedAsync(object arguments)
    {
        var error = await Assert.ThrowsAsync<AgentToolException>(() => FetchAsync(arguments));
        return error.Message;
    }

    public void Dispose() => _services.Dispose();
}
