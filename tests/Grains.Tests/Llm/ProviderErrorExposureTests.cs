using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Llm;
using OpenClaw.Grains.Tests.Egress;
using static OpenClaw.Grains.Tests.Llm.LlmTestHelpers;

namespace OpenClaw.Grains.Tests.Llm;

/// <summary>
/// What a failing provider request tells the tenant: nothing that turns the silo into a port
/// scanner or a proxy for internal pages (no address, port, socket error or exception type, no
/// non-JSON body), and no redirect is followed.
/// </summary>
public sealed class ProviderErrorExposureTests
{
    private const string Key = "sk-test-key-0123456789";

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        await using var internalService = await RecordingServer.StartAsync(address: "127.0.0.2");
        await using var redirector = await RecordingServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = internalService.BaseUrl + "/v1/chat/completions";
            return Task.CompletedTask;
        });
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(
            services.Provider("openai").StreamAsync(Request("gpt-test"), new LlmEndpoint("openai", redirector.BaseUrl + "/v1", Key), CancellationToken.None)));

        Assert.Single(redirector.Requests);
        Assert.Empty(internalService.Requests);
        Assert.Equal(307, error.StatusCode);
        Assert.DoesNotContain("127.0.0.2", error.Message);
    }

    [Fact]
    public async Task A_non_json_error_body_is_not_reflected()
    {
        await using var internalPage = await RecordingServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>admin console: secret-internal-text</body></html>");
        });
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(
            services.Provider("openai").StreamAsync(Request("gpt-test"), new LlmEndpoint("openai", internalPage.BaseUrl + "/v1", Key), CancellationToken.None)));

        Assert.Equal(404, error.StatusCode);
        Assert.Contains("HTTP 404", error.Message);
        Assert.DoesNotContain("secret-internal-text", error.Message);
        Assert.DoesNotContain("admin console", error.Message);
    }

    [Fact]
    public async Task A_json_error_message_is_shown_bounded_and_on_one_line()
    {
        var longMessage = "quota exceeded\n" + new string('x', 5000);
        await using var provider = await RecordingServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 429;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new { error = new { message = longMessage + " " + Key } }));
        });
        using var services = CreateServices();

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(
            services.Provider("openai").StreamAsync(Request("gpt-test"), new LlmEndpoint("openai", provider.BaseUrl + "/v1", Key), CancellationToken.None)));

        Assert.Contains("quota exceeded", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 500, error.Message);
        Assert.DoesNotContain(Key, error.Message);
    }

    [Fact]
    public async Task A_refused_connection_and_a_silent_server_give_the_same_message_without_address_or_port()
    {
        using var services = CreateServices(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(300));
        var closedPort = FreePort();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (backlog) but never answers
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;

        var refused = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(
            services.Provider("openai").StreamAsync(Request("gpt-test"), new LlmEndpoint("openai", $"http://127.0.0.1:{closedPort}/v1", Key), CancellationToken.None)));
        var timedOut = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(
            services.Provider("openai").StreamAsync(Request("gpt-test"), new LlmEndpoint("openai", $"http://127.0.0.1:{silentPort}/v1", Key), CancellationToken.None)));

        Assert.Equal(refused.Message, timedOut.Message);
        foreach (var message in new[] { refused.Message, timedOut.Message })
        {
            Assert.DoesNotContain("127.0.0.1", message);
            Assert.DoesNotContain(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
            Assert.DoesNotContain(silentPort.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
            Assert.DoesNotContain("refused", message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", message);
        }
    }

    [Fact]
    public async Task A_destination_the_egress_policy_refuses_is_named_as_such_without_its_address()
    {
        await using var internalService = await RecordingServer.StartAsync(address: "127.0.0.2");
        var resolver = new FakeHostResolver().Add("internal.test", "127.0.0.2");
        using var services = CreateServices(services: s => s.AddSingleton<IEgressHostResolver>(resolver));

        var error = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(services.Provider("openai").StreamAsync(
            Request("gpt-test"), new LlmEndpoint("openai", $"http://internal.test:{internalService.Port}/v1", Key), CancellationToken.None)));

        Assert.Equal("openai: the provider URL is not allowed: it points to a private or internal address.", error.Message);
        Assert.Empty(internalService.Requests);
    }

    [Fact]
    public async Task An_unknown_host_gives_the_same_message_as_a_refused_connection()
    {
        var resolver = new FakeHostResolver();
        using var services = CreateServices(services: s => s.AddSingleton<IEgressHostResolver>(resolver));
        var closedPort = FreePort();

        var refused = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(services.Provider("openai").StreamAsync(
            Request("gpt-test"), new LlmEndpoint("openai", $"http://127.0.0.1:{closedPort}/v1", Key), CancellationToken.None)));
        var unknown = await Assert.ThrowsAsync<LlmProviderException>(() => CollectAsync(services.Provider("openai").StreamAsync(
            Request("gpt-test"), new LlmEndpoint("openai", "http://no-such-host.test/v1", Key), CancellationToken.None)));

        Assert.Equal(refused.Message, unknown.Message);
        Assert.Equal(["no-such-host.test"], resolver.Lookups);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
