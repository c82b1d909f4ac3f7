using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OpenClaw.Silo.Tests.Admin;

public sealed class TokenLifecycleTests : IDisposable
{
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Suspending_closes_live_sockets_with_4001_and_refuses_connects_until_resumed()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        var token = await silo.CreateTenantAsync("acme");
        await using var live = await GatewaySocket.ConnectAsync(silo.WebSocketUri, token);

        using var suspend = await silo.Admin.PostAsync("/admin/v1/tenants/acme/suspend", null);
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        Assert.Equal("suspended", (await suspend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        Assert.Equal(4001, await live.Closed.WaitAsync(CloseDeadline));
        Assert.True(await GatewaySocket.IsRefusedAsync(silo.WebSocketUri, token));

        using var resume = await silo.Admin.PostAsync("/admin/v1/tenants/acme/resume", null);
        Assert.Equal("active", (await resume.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await using var back = await GatewaySocket.ConnectAsync(silo.WebSocketUri, token);
        await back.ChatAsync("agent:main:main", "back again");
    }

    [Fact]
    public async Task Rotation_keeps_both_tokens_valid_for_the_overlap_then_refuses_the_old_one()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        var old = await silo.CreateTenantAsync("acme");
        var oldId = (await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants/acme/tokens")).GetProperty("tokens")[0].GetProperty("tokenId").GetString();

        using var rotate = await silo.Admin.PostAsJsonAsync($"/admin/v1/tenants/acme/tokens/{oldId}/rotate", new { overlapSeconds = 3 });
        Assert.Equal(HttpStatusCode.Created, rotate.StatusCode);
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>();
        var fresh = rotated.GetProperty("plaintext").GetString()!;
        Assert.NotEqual(old, fresh);

        // Within the overlap both work (connect with the old one first, while it is surely valid).
        await using var onOld = await GatewaySocket.ConnectAsync(silo.WebSocketUri, old);
        await using var onNew = await GatewaySocket.ConnectAsync(silo.WebSocketUri, fresh);
        var oldToken = (await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants/acme/tokens")).GetProperty("tokens")
            .EnumerateArray().Single(t => t.GetProperty("tokenId").GetString() == oldId);
        Assert.True(oldToken.TryGetProperty("expiresAt", out _));

        // After it, the old token is refused and its socket closed; the new one keeps working.
        Assert.Equal(4001, await onOld.Closed.WaitAsync(CloseDeadline));
        Assert.True(await GatewaySocket.IsRefusedAsync(silo.WebSocketUri, old));
        await onNew.ChatAsync("agent:main:main", "still here");

        using var badOverlap = await silo.Admin.PostAsJsonAsync($"/admin/v1/tenants/acme/tokens/{oldId}/rotate", new { overlapSeconds = -1 });
        Assert.True((await badOverlap.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("overlapSeconds", out _));
    }

    [Fact]
    public async Task Revoking_a_token_closes_its_socket_with_4001_and_refuses_it_while_other_tokens_work()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        var first = await silo.CreateTenantAsync("acme");
        using var issue = await silo.Admin.PostAsJsonAsync("/admin/v1/tenants/acme/tokens", new { name = "second" });
        Assert.Equal(HttpStatusCode.Created, issue.StatusCode);
        var second = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plaintext").GetString()!;
        var tokens = (await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants/acme/tokens")).GetProperty("tokens");
        Assert.Equal(2, tokens.GetArrayLength());
        var firstId = tokens.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "first").GetProperty("tokenId").GetString();

        await using var onFirst = await GatewaySocket.ConnectAsync(silo.WebSocketUri, first);
        await using var onSecond = await GatewaySocket.ConnectAsync(silo.WebSocketUri, second);
        using var revoke = await silo.Admin.DeleteAsync($"/admin/v1/tenants/acme/tokens/{firstId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        Assert.Equal(4001, await onFirst.Closed.WaitAsync(CloseDeadline));
        Assert.True(await GatewaySocket.IsRefusedAsync(silo.WebSocketUri, first));
        await onSecond.ChatAsync("agent:main:main", "second token still works");
        var listed = (await silo.Admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants/acme/tokens")).GetProperty("tokens")
            .EnumerateArray().Single(t => t.GetProperty("tokenId").GetString() == firstId);
        Assert.False(listed.GetProperty("valid").GetBoolean());
        Assert.True(listed.TryGetProperty("revokedAt", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Admin.DeleteAsync($"/admin/v1/tenants/acme/tokens/{firstId}")).StatusCode);
    }
}
