using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using OpenClaw.Grains.Interfaces;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace OpenClaw.Dashboard.Tests;

/// <summary>
/// The dashboard in headless Chromium against a real silo over real HTTP: login, the silo, the call
/// rate moving under load, the tenant search, a raised alert, the degraded config-sync source, an
/// XSS attempt in a display name rendered as text, and no console errors throughout.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private const string XssDisplayName = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
    private static readonly WaitForFunctionOptions Deadline = new() { Timeout = 30_000, PollingInterval = 200 };

    [Fact]
    public async Task Dashboard_shows_the_cluster_live_in_a_real_browser()
    {
        if (Browsers.MissingReason is { } reason)
        {
            output.WriteLine(reason);
            return;
        }

        await using var silo = await DashboardSilo.StartAsync();
        await silo.AddTenantAsync("acme", "Acme Corp");
        await silo.AddTenantAsync("mallory", XssDisplayName);
        await using var browser = await Browsers.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error) problems.Add("console: " + e.Message.Text);
        };
        page.PageError += (_, e) => problems.Add("page error: " + e.Message);
        var url = new Uri(silo.HttpUri, "/dashboard");

        // Without a session the page sends the operator to the login form.
        await page.GoToAsync(url.ToString());
        Assert.EndsWith("/dashboard/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);

        await page.TypeAsync("#login-token", DashboardSilo.ServiceToken);
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#login-submit"));
        Assert.Equal("/dashboard", new Uri(page.Url).AbsolutePath.TrimEnd('/'));
        var cookie = Assert.Single(await page.GetCookiesAsync(), c => c.Name == "openclaw_dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSite.Strict, cookie.SameSite);
        Assert.DoesNotContain(DashboardSilo.ServiceToken, cookie.Value, StringComparison.Ordinal);

        // The silo appears.
        await page.WaitForFunctionAsync("() => document.querySelector('#silos tbody')?.textContent.includes('local')", Deadline);

        // Its call rate moves while tenant traffic runs.
        using var load = new CancellationTokenSource();
        var traffic = DriveTrafficAsync(silo, "acme", load.Token);
        try
        {
            // The stats reads and the monitor are grain calls too, a few per second; the load is far above that.
            await page.WaitForFunctionAsync(
                "() => { const t = document.getElementById('calls-rate').textContent.replace(/,/g, ''); return parseFloat(t) >= 20; }", Deadline);
            var rate = await page.EvaluateExpressionAsync<string>("document.getElementById('calls-rate').textContent");
            output.WriteLine($"rendered call rate under load: {rate} calls/s");
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#chart-calls polyline').length > 0", Deadline);
            await page.WaitForFunctionAsync("() => document.querySelector('#top-tenants tbody')?.textContent.includes('acme')", Deadline);

            // The tenant under load is found active, with its activity read from its grain.
            await page.TypeAsync("#tenant-id", "acme");
            await page.ClickAsync("#tenant-find");
            await page.WaitForFunctionAsync("() => document.querySelector('#tenant-result .state-active') !== null", Deadline);
            var acme = await page.EvaluateExpressionAsync<string>("document.getElementById('tenant-result').textContent");
            Assert.Contains("Acme Corp", acme, StringComparison.Ordinal);
            Assert.Contains("read from the tenant grain", acme, StringComparison.Ordinal);
        }
        finally
        {
            await load.CancelAsync();
            await traffic;
        }

        // A tenant nobody called is shown dormant from its registry record, and not activated by looking.
        await page.EvaluateExpressionAsync("document.getElementById('tenant-id').value = ''");
        await page.TypeAsync("#tenant-id", "mallory");
        await page.ClickAsync("#tenant-find");
        await page.WaitForFunctionAsync("() => document.querySelector('#tenant-result .state-dormant') !== null", Deadline);
        Assert.False(silo.Services.GetRequiredService<OpenClaw.Runtime.ISiloRuntime>().IsActive(new OpenClaw.Runtime.GrainId("user", "mallory")));

        // Its display name is an XSS attempt: it shows as text and runs nothing.
        var shownName = await page.EvaluateExpressionAsync<string>(
            "[...document.querySelectorAll('#tenant-result dt')].find(dt => dt.textContent === 'Display name').nextElementSibling.textContent");
        Assert.Equal(XssDisplayName, shownName);
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#tenant-result img, #tenant-result script').length"));
        Assert.Equal("undefined", await page.EvaluateExpressionAsync<string>("typeof window.__xss"));

        // An alert the real monitor raises appears (memory over its 1 MB test threshold).
        var raised = await silo.EvaluateAlertsAsync();
        var memory = Assert.Single(raised, a => a.Rule == "memory");
        await page.WaitForFunctionAsync(
            "id => document.querySelector('#alerts-active tbody')?.textContent.includes(id)", Deadline, memory.Message);

        // Config sync runs standalone here (no Cloud Backend): its real status says so.
        await page.WaitForFunctionAsync("() => document.getElementById('sync').textContent.includes('no (standalone)')", Deadline);
        Assert.Equal("", await page.EvaluateExpressionAsync<string>("document.getElementById('sync-state').textContent"));

        var screenshot = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 0);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Without_the_service_token_the_dashboard_is_refused()
    {
        await using var silo = await DashboardSilo.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = silo.HttpUri };

        using var page = await http.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/dashboard/login", page.Headers.Location?.OriginalString);

        foreach (var path in new[] { "/dashboard/api/overview", "/dashboard/api/tenants/top", "/dashboard/api/tenants/acme", "/dashboard/api/alerts", "/dashboard/api/sync" })
        {
            using var anonymous = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var wrong = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token") } };
            using var refused = await http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/dashboard/api/overview") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", DashboardSilo.ServiceToken) } };
        using var admitted = await http.SendAsync(bearer);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/dashboard") { Headers = { { "Cookie", "openclaw_dashboard=forged-ticket" } } };
        using var forgedPage = await http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Redirect, forgedPage.StatusCode);

        if (Browsers.MissingReason is { } reason)
        {
            output.WriteLine(reason);
            return;
        }

        await using var browser = await Browsers.LaunchAsync();
        await using var tab = await browser.NewPageAsync();
        await tab.GoToAsync(new Uri(silo.HttpUri, "/dashboard").ToString());
        Assert.EndsWith("/dashboard/login", new Uri(tab.Url).AbsolutePath, StringComparison.Ordinal);
        await tab.TypeAsync("#login-token", "wrong-token");
        await tab.ClickAsync("#login-submit");
        await tab.WaitForFunctionAsync("() => document.getElementById('login-error').textContent.length > 0", Deadline);
        Assert.EndsWith("/dashboard/login", new Uri(tab.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Empty(await tab.GetCookiesAsync());
    }

    private static async Task DriveTrafficAsync(DashboardSilo silo, string tenantId, CancellationToken cancellationToken)
    {
        var grain = silo.Grains.GetGrain<IUserGrain>(tenantId);
        var call = new GatewayCall { Method = "health", ConnectionId = "dashboard-test", RequestId = "1" };
        while (!cancellationToken.IsCancellationRequested)
        {
            await grain.Invoke(call, CancellationToken.None);
            await Task.Delay(5, CancellationToken.None);
        }
    }
}
