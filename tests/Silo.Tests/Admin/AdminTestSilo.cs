using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.EdgeGateway;
using OpenClaw.Operations;

namespace OpenClaw.Silo.Tests.Admin;

/// <summary>
/// The silo as Program.cs maps it (health, operator endpoints with the admin API, the edge) on a
/// random loopback port, with a service token, and edges that re-check sockets' tokens every
/// 200 ms without caching them, so revocations and suspensions show quickly.
/// </summary>
internal sealed class AdminTestSilo : IAsyncDisposable
{
    public const string ServiceToken = "admin-tests-service-token-7f3a9c";

    private readonly WebApplication _app;
    private int _disposed;

    private AdminTestSilo(WebApplication app, Uri httpUri)
    {
        _app = app;
        HttpUri = httpUri;
        Admin = new HttpClient { BaseAddress = httpUri };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceToken);
        Anonymous = new HttpClient { BaseAddress = httpUri };
    }

    public Uri HttpUri { get; }

    public Uri WebSocketUri => new($"ws://{HttpUri.Authority}/");

    /// <summary>Sends the service token.</summary>
    public HttpClient Admin { get; }

    /// <summary>Sends no Authorization header.</summary>
    public HttpClient Anonymous { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AdminTestSilo> StartAsync(string dataDirectory, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["demo:enabled"] = "false",
            ["multiTenant:serviceToken"] = ServiceToken,
            ["edge:SubscriptionRenewalIntervalMs"] = "200",
            ["edge:TokenCacheTtlMs"] = "0",
            ["edge:TokenNegativeCacheTtlMs"] = "0",
            ["edge:AuthMaxDelayMs"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var app = InProcessSilo.Build(dataDirectory, settings: all);
        var problem = await StartupChecks.RunAsync(app.Services, CancellationToken.None);
        Assert.Null(problem);
        app.MapHealth();
        app.MapOperatorEndpoints();
        app.MapEdgeGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdminTestSilo(app, new Uri(address));
    }

    /// <summary>POST /admin/v1/tenants with an echo config and a first token; returns the token's plaintext.</summary>
    public async Task<string> CreateTenantAsync(string id, string plan = "free")
    {
        using var response = await Admin.PostAsJsonAsync("/admin/v1/tenants", new
        {
            id,
            displayName = $"Tenant {id}",
            plan,
            config = new { provider = "echo", model = "echo-1", agentName = "Clawd" },
            token = new { name = "first" },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetProperty("plaintext").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Admin.Dispose();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
