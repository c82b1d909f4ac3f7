using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.Operations.Admin;
using OpenClaw.Runtime;
using static OpenClaw.Grains.Tests.ControlPlane.Monitor.FakeClusterStatsReader;

namespace OpenClaw.Grains.Tests.ControlPlane.Monitor;

/// <summary>The alert routes of the admin API over real HTTP, in front of the real monitor grain.</summary>
public sealed class AlertAdminEndpointsTests : IAsyncLifetime
{
    private const string ServiceToken = "admin-service-token-for-tests";
    private MonitorHarness _harness = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _harness = await MonitorHarness.StartAsync(o =>
        {
            o.Rules.Memory.RaiseAfter = 1;
            o.Rules.Memory.ResolveAfter = 1;
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(_harness.Silo.GrainFactory);
        builder.Services.Configure<ServiceTokenOptions>(o => o.ServiceToken = ServiceToken);
        builder.Services.AddProblemDetails();
        _app = builder.Build();
        _app.MapAdminGroup().MapAlertAdmin();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Evaluate_raises_then_active_and_history_list_the_alert()
    {
        _harness.Stats.Set(Silo("s1", workingSetMb: 700));
        _harness.Silo.Time.Advance(_harness.Interval);
        var evaluated = await ReadArrayAsync(await _http.PostAsync("/admin/v1/alerts/evaluate", null));
        var alert = Assert.Single(evaluated);
        Assert.Equal("memory", alert.GetProperty("rule").GetString());
        Assert.Equal("Warning", alert.GetProperty("severity").GetString());

        var active = Assert.Single(await ReadArrayAsync(await _http.GetAsync("/admin/v1/alerts")));
        Assert.Equal(alert.GetProperty("id").GetString(), active.GetProperty("id").GetString());

        _harness.Stats.Set(Silo("s1", workingSetMb: 100));
        _harness.Silo.Time.Advance(_harness.Interval);
        Assert.Empty(await ReadArrayAsync(await _http.PostAsync("/admin/v1/alerts/evaluate", null)));
        var history = Assert.Single(await ReadArrayAsync(await _http.GetAsync("/admin/v1/alerts/history?limit=5")));
        Assert.Equal(alert.GetProperty("id").GetString(), history.GetProperty("id").GetString());
        Assert.True(history.TryGetProperty("resolvedAt", out _));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1001")]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    public async Task A_history_limit_out_of_range_is_a_400_problem(string limit)
    {
        using var response = await _http.GetAsync($"/admin/v1/alerts/history?limit={limit}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/admin/v1/alerts")]
    [InlineData("GET", "/admin/v1/alerts/history")]
    [InlineData("POST", "/admin/v1/alerts/evaluate")]
    public async Task Without_the_service_token_every_alert_route_is_refused(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _harness.Stats.Reads);
    }

    private static async Task<List<JsonElement>> ReadArrayAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }
    }
}
