using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Silo.Tests.Admin;

public sealed class AdminAuthTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Without_or_with_a_wrong_service_token_every_admin_route_answers_401_and_changes_nothing()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        var token = await silo.CreateTenantAsync("acme");
        var registry = silo.Services.GetRequiredService<ITenantRegistry>();
        var before = await SnapshotAsync(registry, "acme");
        var tokenId = (await registry.ListTokensAsync("acme", default))[0].TokenId;

        using var wrong = new HttpClient { BaseAddress = silo.HttpUri };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminTestSilo.ServiceToken + "x");
        using var basic = new HttpClient { BaseAddress = silo.HttpUri };
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", AdminTestSilo.ServiceToken);
        foreach (var client in new[] { silo.Anonymous, wrong, basic })
        {
            var attempts = new List<HttpRequestMessage>
            {
                Json(HttpMethod.Post, "/admin/v1/tenants", new { id = "intruder", plan = "free" }),
                new(HttpMethod.Get, "/admin/v1/tenants"),
                new(HttpMethod.Get, "/admin/v1/tenants/acme"),
                new(HttpMethod.Post, "/admin/v1/tenants/acme/suspend"),
                new(HttpMethod.Delete, "/admin/v1/tenants/acme"),
                Json(HttpMethod.Patch, "/admin/v1/tenants/acme/config", new { model = "stolen" }),
                Json(HttpMethod.Put, "/admin/v1/tenants/acme/plan", new { plan = "pro" }),
                Json(HttpMethod.Post, "/admin/v1/tenants/acme/tokens", new { name = "mine" }),
                Json(HttpMethod.Post, $"/admin/v1/tenants/acme/tokens/{tokenId}/rotate", new { overlapSeconds = 0 }),
                new(HttpMethod.Delete, $"/admin/v1/tenants/acme/tokens/{tokenId}"),
                new(HttpMethod.Get, "/admin/v1/tenants/acme/export"),
                new(HttpMethod.Post, "/admin/v1/tenants/import?mode=replace") { Content = new ByteArrayContent([1, 2, 3]) },
            };
            foreach (var request in attempts)
            {
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(401, problem.GetProperty("status").GetInt32());
            }
        }

        Assert.Equal(before, await SnapshotAsync(registry, "acme"));
        Assert.Null(await registry.GetAsync("intruder", default));
        await using var socket = await GatewaySocket.ConnectAsync(silo.WebSocketUri, token);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_admin_route_with_its_bodies_and_problems()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);

        using var response = await silo.Anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        var expected = new (string Path, string Method, string Success)[]
        {
            ("/admin/v1/tenants", "post", "201"),
            ("/admin/v1/tenants", "get", "200"),
            ("/admin/v1/tenants/{id}", "get", "200"),
            ("/admin/v1/tenants/{id}", "delete", "200"),
            ("/admin/v1/tenants/{id}/suspend", "post", "200"),
            ("/admin/v1/tenants/{id}/resume", "post", "200"),
            ("/admin/v1/tenants/{id}/config", "patch", "200"),
            ("/admin/v1/tenants/{id}/plan", "put", "200"),
            ("/admin/v1/tenants/{id}/tokens", "get", "200"),
            ("/admin/v1/tenants/{id}/tokens", "post", "201"),
            ("/admin/v1/tenants/{id}/tokens/{tokenId}/rotate", "post", "201"),
            ("/admin/v1/tenants/{id}/tokens/{tokenId}", "delete", "204"),
            ("/admin/v1/tenants/{id}/export", "get", "200"),
            ("/admin/v1/tenants/import", "post", "201"),
        };
        foreach (var (path, method, success) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} is not in the document");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty(success, out _), $"{method} {path} does not describe {success}");
            Assert.True(responses.TryGetProperty("401", out var unauthorized), $"{method} {path} does not describe 401");
            Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _));
        }

        var create = paths.GetProperty("/admin/v1/tenants").GetProperty("post");
        Assert.True(create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(create.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(create.GetProperty("responses").TryGetProperty("400", out _));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "CreateTenantRequest", "TenantView", "TenantConfigView", "CreatedTenantResponse", "TenantListResponse", "IssuedTokenView", "TokenView" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), $"schema {schema} is missing");
        }

        Assert.True(schemas.GetProperty("TenantConfigView").GetProperty("properties").TryGetProperty("apiKeySet", out _));
        Assert.False(schemas.GetProperty("TenantConfigView").GetProperty("properties").TryGetProperty("apiKey", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("serviceToken").GetProperty("scheme").GetString());
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, object body) => new(method, path) { Content = JsonContent.Create(body) };

    private static async Task<string> SnapshotAsync(ITenantRegistry registry, string tenantId)
    {
        var tenant = await registry.GetAsync(tenantId, default);
        var tokens = await registry.ListTokensAsync(tenantId, default);
        var page = await registry.ListAsync(new TenantQuery { Limit = 1000 }, default);
        return JsonSerializer.Serialize(new { tenant, tokens = tokens.Select(t => new { t.TokenId, t.Name, t.ExpiresAt, t.RevokedAt }), ids = page.Tenants.Select(t => t.TenantId) });
    }
}
