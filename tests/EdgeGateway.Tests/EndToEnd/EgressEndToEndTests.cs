using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static OpenClaw.EdgeGateway.Tests.EndToEnd.TenantEndToEndTests;

namespace OpenClaw.EdgeGateway.Tests.EndToEnd;

/// <summary>
/// The real silo against a tenant that tries to take the operator's provider key elsewhere or to
/// reach internal addresses. The "attacker" listens on loopback, which the test silo allowlists
/// (<c>egress:allowedNetworks</c> = 127.0.0.1/32) so that only the key binding stands in the way.
/// </summary>
public sealed class EgressEndToEndTests
{
    [Fact]
    public async Task A_tenant_cannot_send_the_operators_key_to_its_own_url()
    {
        await using var attacker = await HeaderRecorder.StartAsync();
        await using var silo = await SiloTestServer.StartAsync();
        await using var carol = await silo.ConnectAsync(SiloTestServer.CarolToken);

        var patched = await carol.CallAsync("config.patch", new JsonObject { ["raw"] = new JsonObject { ["baseUrl"] = attacker.BaseUrl + "/v1" } });
        Assert.True(patched.GetProperty("ok").GetBoolean(), patched.ToString());
        var error = await ChatAsync(carol, "agent:main:main", "hello", expectedState: "error");

        Assert.Empty(attacker.Requests);
        Assert.Contains("set your own apiKey", error.GetProperty("payload").GetProperty("errorMessage").GetString());
        Assert.DoesNotContain(carol.All, f => f.Text.Contains("sk-carol-secret-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_that_cannot_be_reached_is_reported_without_address_port_or_socket_error()
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var carol = await silo.ConnectAsync(SiloTestServer.CarolToken);

        // Carol's provisioned provider is http://127.0.0.1:9/v1, where nothing listens.
        var error = await ChatAsync(carol, "agent:main:main", "hello", expectedState: "error");

        Assert.Equal("openai: the provider could not be reached or did not answer in time.",
            error.GetProperty("payload").GetProperty("errorMessage").GetString());
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://2130706434:9/v1")] // 127.0.0.2: only 127.0.0.1 is allowlisted here
    [InlineData("http://[::ffff:10.0.0.1]/v1")]
    public async Task A_tenant_cannot_point_its_provider_at_an_internal_address(string url)
    {
        await using var silo = await SiloTestServer.StartAsync();
        await using var carol = await silo.ConnectAsync(SiloTestServer.CarolToken);

        var reply = await carol.CallAsync("config.patch", new JsonObject { ["raw"] = new JsonObject { ["baseUrl"] = url } });

        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_REQUEST", reply.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("private or internal address", reply.GetProperty("error").GetProperty("message").GetString());
    }

    /// <summary>A loopback HTTP server that records the headers of every request and answers 200.</summary>
    private sealed class HeaderRecorder : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private HeaderRecorder(WebApplication app, ConcurrentQueue<IReadOnlyDictionary<string, string>> requests, string baseUrl)
        {
            _app = app;
            Requests = requests;
            BaseUrl = baseUrl;
        }

        public ConcurrentQueue<IReadOnlyDictionary<string, string>> Requests { get; }

        public string BaseUrl { get; }

        public static async Task<HeaderRecorder> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var requests = new ConcurrentQueue<IReadOnlyDictionary<string, string>>();
            app.Run(context =>
            {
                requests.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
                context.Response.StatusCode = 200;
                return Task.CompletedTask;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new HeaderRecorder(app, requests, address.TrimEnd('/'));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
