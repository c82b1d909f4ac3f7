using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Tests.Egress;

/// <summary>
/// The egress HttpClient checks the addresses it actually connects to: literal addresses, names
/// resolved at connect time (a rebinding name cannot switch to a denied address for a later
/// connection), every address a name resolves to, and no redirects.
/// </summary>
public sealed class EgressHttpClientTests : IAsyncLifetime
{
    private const string ClientName = "egress-test";

    private RecordingServer _server = null!;
    private readonly FakeHostResolver _resolver = new();
    private readonly LogCapture _logs = new();

    public async Task InitializeAsync() => _server = await RecordingServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ServiceProvider Services(Action<EgressOptions>? configure = null)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug))
            .AddEgressPolicy(configure: configure)
            .AddSingleton<IEgressHostResolver>(_resolver);
        services.AddEgressHttpClient(ClientName);
        return services.BuildServiceProvider();
    }

    private static HttpClient Client(ServiceProvider services) =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    [Fact]
    public async Task A_literal_loopback_address_is_refused_before_connecting()
    {
        using var services = Services();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Client(services).GetAsync(_server.BaseUrl + "/"));

        var denied = Assert.IsType<EgressDeniedException>(EgressDeniedException.Find(error));
        Assert.Equal(AddressCategory.Loopback, denied.Category);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_connect_time_and_logged_for_the_operator()
    {
        _resolver.Add("llm.test", "127.0.0.1");
        using var services = Services();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Client(services).GetAsync($"http://llm.test:{_server.Port}/"));

        Assert.NotNull(EgressDeniedException.Find(error));
        Assert.Equal(["llm.test"], _resolver.Lookups);
        Assert.Empty(_server.Requests);
        var logged = Assert.Single(_logs.Entries, e => e.EventId == 2300);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains($"llm.test:{_server.Port}", logged.Message);
        Assert.Contains("127.0.0.1 (Loopback)", logged.Message);
    }

    [Fact]
    public async Task An_allowlisted_network_is_reached()
    {
        _resolver.Add("llm.test", "127.0.0.1");
        using var services = Services(o => o.AllowedNetworks.Add("127.0.0.1/32"));

        using var response = await Client(services).GetAsync($"http://llm.test:{_server.Port}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task An_allowlisted_host_name_is_reached_whatever_it_resolves_to()
    {
        _resolver.Add("gateway.internal.test", "127.0.0.1");
        using var services = Services(o => o.AllowedHosts.Add("*.internal.test"));

        using var response = await Client(services).GetAsync($"http://gateway.internal.test:{_server.Port}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_name_with_any_denied_address_is_refused_as_a_whole()
    {
        _resolver.Add("llm.test", "127.0.0.1", "10.0.0.1");
        using var services = Services(o => o.AllowedNetworks.Add("127.0.0.1/32"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Client(services).GetAsync($"http://llm.test:{_server.Port}/"));

        Assert.Equal(AddressCategory.Private, EgressDeniedException.Find(error)!.Category);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_rebinding_name_is_checked_again_on_every_new_connection()
    {
        // First lookup: the allowlisted address; every later one: an internal service on the same port.
        var port = _server.Port;
        await using var internalService = await RecordingServer.StartAsync(address: "127.0.0.2", port: port);
        _resolver.Add("rebind.test", "127.0.0.1").Add("rebind.test", "127.0.0.2");
        using var services = Services(o => o.AllowedNetworks.Add("127.0.0.1/32"));
        var client = Client(services);

        using (var first = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://rebind.test:{port}/") { Headers = { ConnectionClose = true } }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://rebind.test:{port}/") { Headers = { ConnectionClose = true } }));

        Assert.NotNull(EgressDeniedException.Find(error));
        Assert.Equal(2, _resolver.Lookups.Count);
        Assert.Single(_server.Requests);
        Assert.Empty(internalService.Requests);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var internalService = await RecordingServer.StartAsync(address: "127.0.0.2");
        await using var redirector = await RecordingServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = internalService.BaseUrl + "/admin";
            return Task.CompletedTask;
        });
        using var services = Services(o => o.AllowedNetworks.Add("127.0.0.0/8"));

        using var response = await Client(services).GetAsync(redirector.BaseUrl + "/");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(internalService.Requests);
    }

    [Fact]
    public void The_primary_handler_uses_no_proxy_no_redirects_and_no_shared_cookies()
    {
        using var services = Services();
        var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(ClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.False(sockets.UseProxy);
        Assert.False(sockets.AllowAutoRedirect);
        Assert.False(sockets.UseCookies);
        Assert.NotNull(sockets.ConnectCallback);
    }
}
