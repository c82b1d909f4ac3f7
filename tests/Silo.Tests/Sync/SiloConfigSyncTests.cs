using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway;
using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Tests.ControlPlane;
using OpenClaw.Operations;

namespace OpenClaw.Silo.Tests.Sync;

/// <summary>
/// The silo as Program.cs composes it (keeper, sync grain on its real timer, edge, admin API) with a
/// short sync interval, against the Cloud Backend double over real HTTP. The registry is the test
/// double until the registry's stores are merged; everything else is the product.
/// </summary>
public sealed class SiloConfigSyncTests : IAsyncLifetime
{
    private const string AliceToken = "oct_alice-silo-sync-token-0123456789abcdef";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _data = new();
    private readonly InMemoryTenantRegistry _registry = new(TimeProvider.System);
    private FakeCloudBackend _backend = null!;
    private WebApplication _app = null!;
    private Uri _http = null!;

    public async Task InitializeAsync()
    {
        _backend = await FakeCloudBackend.StartAsync();
        _backend.Put(new BackendUserSpec { UserId = "alice", Tokens = [new BackendTokenSpec { Sha256 = TenantTokens.Hash(AliceToken) }] });

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["storage:dataDirectory"] = _data.Path,
            ["demo:enabled"] = "false",
            ["edge:KeepAliveIntervalMs"] = "0",
            ["edge:KeepAliveTimeoutMs"] = "0",
            // Neither the token cache nor the periodic socket re-check would act within the deadlines here.
            ["edge:TokenCacheTtlMs"] = "60000",
            ["edge:SubscriptionRenewalIntervalMs"] = "90000",
            ["multiTenant:cloudBackendUrl"] = _backend.Url,
            ["multiTenant:serviceToken"] = FakeCloudBackend.ServiceToken,
            ["multiTenant:syncIntervalMs"] = "300",
            ["multiTenant:configSync:maxBackoffMs"] = "600",
            ["multiTenant:configSync:requestTimeoutMs"] = "10000",
        });
        builder.Services.AddOpenClawSilo(builder.Configuration);
        builder.Services.AddSingleton<ITenantRegistry>(_registry);
        builder.Services.AddSingleton<ITenantTokenResolver>(_registry);
        _app = builder.Build();
        _app.MapHealth();
        _app.MapOperatorEndpoints();
        _app.MapEdgeGateway();
        await _app.StartAsync();
        _http = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _backend.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_token_revoked_at_the_backend_closes_the_live_socket_with_4001_within_an_interval()
    {
        await WaitUntilAsync(async () => await _registry.FindTenantByTokenAsync(AliceToken, default) == "alice");
        await using var socket = await ConnectAsync(AliceToken);

        _backend.Update("alice", u => u with { Tokens = [u.Tokens[0] with { Revoked = true }] });
        var (status, reason) = await socket.ClosedAsync(Deadline);

        Assert.Equal((WebSocketCloseStatus)4001, status);
        Assert.Equal("credentials revoked", reason);
        await using var again = new GatewayTestClient();
        await again.ConnectAsync(WebSocketUri());
        await again.ReadChallengeAsync();
        var refused = await again.SendConnectAsync(ConnectRequests.Params(AliceToken));
        Assert.False(refused.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_backend_outage_raises_the_failure_count_while_tenants_keep_working_and_recovery_resets_it()
    {
        await WaitUntilAsync(async () => await _registry.FindTenantByTokenAsync(AliceToken, default) == "alice");
        _backend.Fault = FakeCloudBackend.Status(503);

        await WaitUntilAsync(async () => (await StatusAsync()).GetProperty("consecutiveFailures").GetInt32() >= 3);
        await using (var socket = await ConnectAsync(AliceToken))
        {
            Assert.True((await socket.CallAsync("health")).GetProperty("ok").GetBoolean());
        }

        _backend.Fault = null;
        await WaitUntilAsync(async () => (await StatusAsync()).GetProperty("consecutiveFailures").GetInt32() == 0);
    }

    [Fact]
    public async Task The_admin_routes_report_run_and_take_the_backends_push_notice()
    {
        using var anonymous = new HttpClient { BaseAddress = _http };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/v1/sync")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/admin/v1/sync/tenants/alice", null)).StatusCode);

        using var admin = Admin();
        var run = await admin.PostAsync("/admin/v1/sync", null);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var status = await run.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.True(status.GetProperty("consecutiveFailures").GetInt32() == 0, status.ToString());

        _backend.Put(new BackendUserSpec { UserId = "bob", Plan = "team" });
        var pushed = await admin.PostAsync("/admin/v1/sync/tenants/bob", null);
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        Assert.Equal("team", (await _registry.GetAsync("bob", default))!.Plan);

        var bad = await admin.PostAsync("/admin/v1/sync/tenants/bad%20id", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("id", out _));

        _backend.Fault = FakeCloudBackend.Status(500);
        var failed = await admin.PostAsync("/admin/v1/sync/tenants/bob", null);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Contains("500", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = _http };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FakeCloudBackend.ServiceToken);
        return client;
    }

    private async Task<JsonElement> StatusAsync()
    {
        using var admin = Admin();
        return await admin.GetFromJsonAsync<JsonElement>("/admin/v1/sync");
    }

    private Uri WebSocketUri() => new UriBuilder(_http) { Scheme = "ws" }.Uri;

    private async Task<GatewayTestClient> ConnectAsync(string token)
    {
        var client = new GatewayTestClient();
        await client.ConnectAsync(WebSocketUri());
        await client.ReadChallengeAsync();
        var hello = await client.SendConnectAsync(ConnectRequests.Params(token));
        Assert.True(hello.GetProperty("ok").GetBoolean(), hello.ToString());
        return client;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var end = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > end) throw new TimeoutException("condition not met before the deadline");
            await Task.Delay(50);
        }
    }
}
