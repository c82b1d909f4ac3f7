using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenClaw.Dashboard.Tests;

/// <summary>The dashboard's HTTP surface without a browser: headers, login, CSRF, inputs.</summary>
public sealed class DashboardHttpTests
{
    [Fact]
    public async Task Pages_and_api_carry_the_security_headers()
    {
        await using var silo = await DashboardSilo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.HttpUri };
        foreach (var path in new[] { "/dashboard/login", "/dashboard/assets/dashboard.js", "/dashboard/api/overview" })
        {
            using var response = await http.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }

        using var unknown = await http.GetAsync("/dashboard/assets/..%2F..%2Fappsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_admits_reads_but_state_changes_need_the_csrf_header()
    {
        await using var silo = await DashboardSilo.StartAsync();
        await silo.AddTenantAsync("acme", "Acme Corp");
        using var http = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = silo.HttpUri };

        using (var withoutHeader = await http.PostAsJsonAsync("/dashboard/login", new { token = DashboardSilo.ServiceToken }))
            Assert.Equal(HttpStatusCode.Forbidden, withoutHeader.StatusCode);

        using var login = new HttpRequestMessage(HttpMethod.Post, "/dashboard/login") { Content = JsonContent.Create(new { token = DashboardSilo.ServiceToken }) };
        login.Headers.Add("X-OpenClaw-Dashboard", "1");
        using (var loggedIn = await http.SendAsync(login))
        {
            Assert.Equal(HttpStatusCode.NoContent, loggedIn.StatusCode);
            var setCookie = Assert.Single(loggedIn.Headers.GetValues("Set-Cookie"));
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(DashboardSilo.ServiceToken, setCookie, StringComparison.Ordinal);
        }

        using (var page = await http.GetAsync("/dashboard"))
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // Looking does not activate a dormant tenant.
        using (var look = await http.GetAsync("/dashboard/api/tenants/acme"))
        {
            var view = JsonDocument.Parse(await look.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("dormant", view.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, view.GetProperty("activity").ValueKind);
        }

        Assert.False(IsActive(silo, "acme"));

        using (var forged = await http.PostAsync("/dashboard/api/tenants/acme/load", null))
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False(IsActive(silo, "acme"));

        using var load = new HttpRequestMessage(HttpMethod.Post, "/dashboard/api/tenants/acme/load");
        load.Headers.Add("X-OpenClaw-Dashboard", "1");
        using (var loaded = await http.SendAsync(load))
        {
            var view = JsonDocument.Parse(await loaded.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("active", view.GetProperty("state").GetString());
            Assert.True(view.GetProperty("activity").GetProperty("loaded").GetBoolean());
        }

        Assert.True(IsActive(silo, "acme"));

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/dashboard/logout");
        logout.Headers.Add("X-OpenClaw-Dashboard", "1");
        using (await http.SendAsync(logout))
        {
        }

        using var after = await http.GetAsync("/dashboard/api/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task An_unknown_tenant_is_shown_unregistered_and_an_explicit_load_does_not_activate_it()
    {
        await using var silo = await DashboardSilo.StartAsync();
        using var http = BearerClient(silo);
        using var load = await http.PostAsync("/dashboard/api/tenants/nobody/load", null);
        var view = JsonDocument.Parse(await load.Content.ReadAsStringAsync()).RootElement;
        Assert.False(view.GetProperty("registered").GetBoolean());
        Assert.Equal("dormant", view.GetProperty("state").GetString());
        Assert.Contains("not registered", view.GetProperty("activitySource").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(IsActive(silo, "nobody"));
    }

    [Fact]
    public async Task The_top_list_holds_recently_called_tenants_that_are_still_active()
    {
        await using var silo = await DashboardSilo.StartAsync();
        await silo.AddTenantAsync("acme", "Acme Corp");
        await silo.AddTenantAsync("globex", "Globex");
        var call = new OpenClaw.Grains.Interfaces.GatewayCall { Method = "health", ConnectionId = "test" };
        await silo.Grains.GetGrain<OpenClaw.Grains.Interfaces.IUserGrain>("acme").Invoke(call);
        await silo.Grains.GetGrain<OpenClaw.Grains.Interfaces.IUserGrain>("globex").Invoke(call);
        using var http = BearerClient(silo);

        Assert.Equal(["acme", "globex"], (await TopAsync(http)).Order(StringComparer.Ordinal));
        await silo.Services.GetRequiredService<OpenClaw.Runtime.ISiloRuntime>().DeactivateAsync(new OpenClaw.Runtime.GrainId("user", "globex"));
        Assert.Equal(["acme"], await TopAsync(http));
    }

    private static async Task<List<string>> TopAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/dashboard/api/tenants/top");
        var top = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return top.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("tenantId").GetString()!).ToList();
    }

    private static HttpClient BearerClient(DashboardSilo silo)
    {
        var http = new HttpClient { BaseAddress = silo.HttpUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DashboardSilo.ServiceToken);
        return http;
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a%20b")]
    [InlineData("%3Cscript%3E")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task Invalid_tenant_ids_are_refused(string tenantId)
    {
        await using var silo = await DashboardSilo.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.HttpUri };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DashboardSilo.ServiceToken);
        using var response = await http.GetAsync("/dashboard/api/tenants/" + tenantId);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{tenantId}: {response.StatusCode}");
    }

    private static bool IsActive(DashboardSilo silo, string tenantId) =>
        silo.Services.GetRequiredService<OpenClaw.Runtime.ISiloRuntime>().IsActive(new OpenClaw.Runtime.GrainId("user", tenantId));
}
