using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Silo.Tests.Admin;

public sealed class TenantApiTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_tenant_created_with_a_token_connects_over_a_real_WebSocket_and_chats()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);

        using var response = await silo.Admin.PostAsJsonAsync("/admin/v1/tenants", new
        {
            id = "acme",
            displayName = "Acme Corp",
            plan = "pro",
            config = new { provider = "echo", model = "echo-1", apiKey = "sk-secret-value", agentName = "Clawd", systemPrompt = "Be brief." },
            token = new { name = "laptop", expiresAt = DateTimeOffset.UtcNow.AddDays(1) },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain("sk-secret-value", body);
        var created = JsonDocument.Parse(body).RootElement;
        var tenant = created.GetProperty("tenant");
        Assert.Equal("acme", tenant.GetProperty("id").GetString());
        Assert.Equal("Acme Corp", tenant.GetProperty("displayName").GetString());
        Assert.Equal("pro", tenant.GetProperty("plan").GetString());
        Assert.Equal("active", tenant.GetProperty("status").GetString());
        Assert.True(tenant.GetProperty("config").GetProperty("apiKeySet").GetBoolean());
        Assert.Equal("Clawd", tenant.GetProperty("config").GetProperty("agentName").GetString());
        var issued = created.GetProperty("token");
        Assert.Equal("laptop", issued.GetProperty("token").GetProperty("name").GetString());
        var plaintext = issued.GetProperty("plaintext").GetString()!;

        // The plaintext is shown once: neither the tenant nor its token list carries it again.
        var fetched = await silo.Admin.GetStringAsync("/admin/v1/tenants/acme");
        var tokens = await silo.Admin.GetStringAsync("/admin/v1/tenants/acme/tokens");
        Assert.DoesNotContain(plaintext, fetched + tokens);
        Assert.DoesNotContain("sk-secret-value", fetched);
        Assert.Equal("laptop", JsonDocument.Parse(tokens).RootElement.GetProperty("tokens")[0].GetProperty("name").GetString());

        await using var socket = await GatewaySocket.ConnectAsync(silo.WebSocketUri, plaintext);
        await socket.ChatAsync("agent:main:main", "hello from acme");
        var history = await socket.HistoryAsync("agent:main:main");
        Assert.Contains(history, m => m.Role == "user" && m.Text.Contains("hello from acme"));

        using var again = await silo.Admin.PostAsJsonAsync("/admin/v1/tenants", new { id = "acme", plan = "free" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Listing_pages_by_id_and_filters_by_status_and_plan()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        for (var i = 0; i < 7; i++)
        {
            await silo.CreateTenantAsync($"t{i:00}", plan: i % 2 == 0 ? "pro" : "free");
        }

        Assert.Equal(HttpStatusCode.OK, (await silo.Admin.PostAsync("/admin/v1/tenants/t03/suspend", null)).StatusCode);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await silo.Admin.GetFromJsonAsync<JsonElement>($"/admin/v1/tenants?limit=3{(after is null ? "" : $"&after={after}")}");
            var ids = page.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
            Assert.True(ids.Count <= 3);
            seen.AddRange(ids);
            after = page.GetProperty("nextAfter").ValueKind == JsonValueKind.String ? page.GetProperty("nextAfter").GetString() : null;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"t{i:00}"), seen);

        var pro = await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants?plan=pro&limit=100");
        Assert.Equal(["t00", "t02", "t04", "t06"], pro.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var suspended = await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants?status=suspended");
        Assert.Equal(["t03"], suspended.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal("suspended", suspended.GetProperty("tenants")[0].GetProperty("status").GetString());
        var proActive = await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants?status=active&plan=free");
        Assert.Equal(["t01", "t05"], proActive.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("{\"id\":\"acme\",\"config\":{\"baseUrl\":\"ftp://example.com\"}}", "config.baseUrl")]
    [InlineData("{\"id\":\"acme\",\"config\":{\"provider\":\"skynet\"}}", "config.provider")]
    [InlineData("{\"id\":\"../etc\"}", "id")]
    [InlineData("{\"id\":\"\"}", "id")]
    [InlineData("{\"id\":\"acme\",\"plan\":\"pro plan!\"}", "plan")]
    [InlineData("{\"id\":\"acme\",\"config\":{\"model\":42}}", "config.model")]
    [InlineData("{\"id\":\"acme\",\"token\":{\"expiresAt\":\"2001-01-01T00:00:00Z\"}}", "token.expiresAt")]
    [InlineData("{\"id\":\"acme\",", "$")]
    [InlineData("not json at all", "$")]
    [InlineData("[1,2]", "$")]
    public async Task A_malformed_create_is_a_400_naming_the_field_and_creates_nothing(string body, string field)
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);

        using var response = await silo.Admin.PostAsync("/admin/v1/tenants", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors do not name {field}: {problem}");
        var registry = silo.Services.GetRequiredService<ITenantRegistry>();
        Assert.Empty((await registry.ListAsync(new TenantQuery(), default)).Tenants);
    }

    [Fact]
    public async Task Config_merge_patch_sets_and_removes_fields_plan_changes_and_bad_input_names_the_field()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        await silo.CreateTenantAsync("acme");

        using var patch = await Patch(silo, "acme", "{\"model\":\"echo-2\",\"apiKey\":\"sk-1\",\"baseUrl\":\"https://llm.example.com/v1\",\"systemPrompt\":\"Hi\"}");
        var patched = await patch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("echo-2", patched.GetProperty("config").GetProperty("model").GetString());
        Assert.True(patched.GetProperty("config").GetProperty("apiKeySet").GetBoolean());
        Assert.Equal("https://llm.example.com/v1", patched.GetProperty("config").GetProperty("baseUrl").GetString());
        Assert.Equal("Clawd", patched.GetProperty("config").GetProperty("agentName").GetString());

        using var remove = await Patch(silo, "acme", "{\"apiKey\":null,\"baseUrl\":null,\"model\":null}");
        var removed = (await remove.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("config");
        Assert.False(removed.GetProperty("apiKeySet").GetBoolean());
        Assert.False(removed.TryGetProperty("baseUrl", out _));
        Assert.Equal("echo-1", removed.GetProperty("model").GetString());
        Assert.Equal("Hi", removed.GetProperty("systemPrompt").GetString());

        foreach (var (bad, field) in new[] { ("{\"baseUrl\":\"not a url\"}", "baseUrl"), ("{\"colour\":\"red\"}", "colour"), ("{\"model\":7}", "model"), ("{\"provider\":\"x\"}", "provider") })
        {
            using var refused = await Patch(silo, "acme", bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), bad);
        }

        using var notJson = await Patch(silo, "acme", "{\"model\":");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var unknown = await Patch(silo, "nobody", "{\"model\":\"m\"}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var plan = await silo.Admin.PutAsJsonAsync("/admin/v1/tenants/acme/plan", new { plan = "enterprise" });
        Assert.Equal("enterprise", (await plan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plan").GetString());
        using var badPlan = await silo.Admin.PutAsJsonAsync("/admin/v1/tenants/acme/plan", new { plan = "" });
        Assert.True((await badPlan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("plan", out _));

        var stored = await silo.Services.GetRequiredService<ITenantRegistry>().GetAsync("acme", default);
        Assert.Equal("enterprise", stored!.Plan);
        Assert.Equal("echo-1", stored.Config.Model);
        Assert.Null(stored.Config.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Admin.GetAsync("/admin/v1/tenants/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.Admin.GetAsync("/admin/v1/tenants?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.Admin.GetAsync("/admin/v1/tenants?status=sleeping")).StatusCode);
    }

    private static Task<HttpResponseMessage> Patch(AdminTestSilo silo, string id, string json) =>
        silo.Admin.PatchAsync($"/admin/v1/tenants/{id}/config", new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));
}
