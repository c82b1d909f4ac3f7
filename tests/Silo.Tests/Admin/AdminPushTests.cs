using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenClaw.Silo.Tests.Admin;

/// <summary>
/// Admin changes reach live sockets through the tenant grain's change notice, not only through the
/// edges' periodic token re-check: with that re-check at its longest (90 s) (and token caching on), a
/// suspension or revocation still closes the sockets with 4001 at once.
/// </summary>
public sealed class AdminPushTests : IDisposable
{
    // Well below the 90-second periodic re-check: only the push can meet it.
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string?> SlowPeriodicRecheck = new()
    {
        ["edge:SubscriptionRenewalIntervalMs"] = "90000",
        ["edge:TokenCacheTtlMs"] = "60000",
    };

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Suspending_closes_live_sockets_through_the_push_without_waiting_for_the_periodic_recheck()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path, SlowPeriodicRecheck);
        var token = await silo.CreateTenantAsync("acme");
        await using var live = await GatewaySocket.ConnectAsync(silo.WebSocketUri, token);
        await live.ChatAsync("agent:main:main", "hello");

        using var suspend = await silo.Admin.PostAsync("/admin/v1/tenants/acme/suspend", null);
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        Assert.Equal(4001, await live.Closed.WaitAsync(CloseDeadline));
    }

    [Fact]
    public async Task Revoking_one_token_closes_only_its_socket_through_the_push()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path, SlowPeriodicRecheck);
        var first = await silo.CreateTenantAsync("acme");
        using var issue = await silo.Admin.PostAsJsonAsync("/admin/v1/tenants/acme/tokens", new { name = "second" });
        var second = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plaintext").GetString()!;
        await using var onFirst = await GatewaySocket.ConnectAsync(silo.WebSocketUri, first);
        await using var onSecond = await GatewaySocket.ConnectAsync(silo.WebSocketUri, second);
        await onFirst.ChatAsync("agent:main:main", "hello");

        var firstId = (await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants/acme/tokens")).GetProperty("tokens")
            .EnumerateArray().Single(t => t.GetProperty("name").GetString() == "first").GetProperty("tokenId").GetString();
        using var revoke = await silo.Admin.DeleteAsync($"/admin/v1/tenants/acme/tokens/{firstId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        Assert.Equal(4001, await onFirst.Closed.WaitAsync(CloseDeadline));
        await onSecond.ChatAsync("agent:main:main", "still here");
    }

    [Theory]
    [InlineData("tok_nope")]
    [InlineData("tok_0123456789abcdef")]
    public async Task Revoking_a_token_that_does_not_exist_is_404(string tokenId)
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        await silo.CreateTenantAsync("acme");
        using var revoke = await silo.Admin.DeleteAsync($"/admin/v1/tenants/acme/tokens/{tokenId}");
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
    }

    [Fact]
    public async Task An_api_key_that_looks_encrypted_is_refused_naming_the_field()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        await silo.CreateTenantAsync("acme");
        using var patch = await silo.Admin.PatchAsJsonAsync("/admin/v1/tenants/acme/config", new { apiKey = "dp1:CfDJ8stolen" });
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
        var problem = await patch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("config.apiKey", out _) || problem.GetProperty("errors").TryGetProperty("apiKey", out _),
            problem.ToString());
        var tenant = await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants/acme");
        Assert.False(tenant.GetProperty("config").GetProperty("apiKeySet").GetBoolean());
    }
}
