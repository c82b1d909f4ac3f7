using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Grains.Tests.Tenants;

/// <summary>What every <see cref="ITenantStore"/> must do; one derived class per implementation.</summary>
public abstract class TenantStoreContractTests
{
    /// <summary>A new store instance over the same backing storage as every other call in this test.</summary>
    protected abstract Task<ITenantStore> OpenStoreAsync();

    protected static TenantRecord Tenant(string id, string displayName = "", bool disabled = false) => new()
    {
        TenantId = id,
        DisplayName = displayName,
        Plan = "pro",
        Disabled = disabled,
        Config = new TenantConfig { Provider = "openai", Model = "gpt-test", ApiKey = "sk-tenant", SystemPrompt = "Be kind." },
    };

    [Fact]
    public async Task Upsert_then_get_and_list()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("bob", "Bob"), default);
        await store.UpsertAsync(Tenant("alice", "Alice"), default);

        var alice = await store.GetAsync("alice", default);

        Assert.NotNull(alice);
        Assert.Equal("Alice", alice.DisplayName);
        Assert.Equal("pro", alice.Plan);
        Assert.Equal("gpt-test", alice.Config.Model);
        Assert.Equal("sk-tenant", alice.Config.ApiKey);
        Assert.NotEqual(default, alice.CreatedAt);
        Assert.Null(await store.GetAsync("carol", default));
        Assert.Equal(["alice", "bob"], (await store.ListAsync(default)).Select(t => t.TenantId));
    }

    [Fact]
    public async Task Upsert_replaces_the_record_keeps_created_at_and_tokens()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice", "Alice"), default);
        var first = (await store.GetAsync("alice", default))!;
        var token = await store.IssueTokenAsync("alice", default);

        await store.UpsertAsync(Tenant("alice", "Alice Renamed") with { Plan = "enterprise" }, default);

        var second = (await store.GetAsync("alice", default))!;
        Assert.Equal("Alice Renamed", second.DisplayName);
        Assert.Equal("enterprise", second.Plan);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal("alice", await store.FindTenantByTokenAsync(token, default));

        var explicitCreated = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await store.UpsertAsync(Tenant("alice") with { CreatedAt = explicitCreated }, default);
        Assert.Equal(explicitCreated, (await store.GetAsync("alice", default))!.CreatedAt);
    }

    [Fact]
    public async Task Issued_tokens_are_random_prefixed_and_find_their_tenant()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);
        await store.UpsertAsync(Tenant("bob"), default);

        var aliceToken = await store.IssueTokenAsync("alice", default);
        var bobToken = await store.IssueTokenAsync("bob", default);

        Assert.StartsWith("oct_", aliceToken);
        Assert.Equal(4 + 43, aliceToken.Length);
        Assert.DoesNotContain('=', aliceToken);
        Assert.NotEqual(aliceToken, bobToken);
        Assert.Equal("alice", await store.FindTenantByTokenAsync(aliceToken, default));
        Assert.Equal("bob", await store.FindTenantByTokenAsync(bobToken, default));
        Assert.Null(await store.FindTenantByTokenAsync("oct_unknown", default));
        Assert.Null(await store.FindTenantByTokenAsync("", default));
        Assert.Null(await store.FindTenantByTokenAsync(aliceToken + "x", default));
    }

    [Fact]
    public async Task Added_tokens_are_idempotent_and_cannot_be_shared_between_tenants()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);
        await store.UpsertAsync(Tenant("bob"), default);

        await store.AddTokenAsync("alice", "demo-token-alice", default);
        await store.AddTokenAsync("alice", "demo-token-alice", default);

        Assert.Equal("alice", await store.FindTenantByTokenAsync("demo-token-alice", default));
        var conflict = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddTokenAsync("bob", "demo-token-alice", default));
        Assert.DoesNotContain("demo-token-alice", conflict.Message);
        Assert.Equal("alice", await store.FindTenantByTokenAsync("demo-token-alice", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddTokenAsync("alice", "", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddTokenAsync("alice", "has space", default));
    }

    [Fact]
    public async Task Tokens_need_an_existing_tenant()
    {
        var store = await OpenStoreAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.IssueTokenAsync("ghost", default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddTokenAsync("ghost", "ghost-token", default));
        Assert.Null(await store.FindTenantByTokenAsync("ghost-token", default));
    }

    [Fact]
    public async Task Revoking_one_token_leaves_the_others()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);
        var first = await store.IssueTokenAsync("alice", default);
        var second = await store.IssueTokenAsync("alice", default);

        Assert.Equal(1, await store.RevokeTokensAsync("alice", first, default));
        Assert.Equal(0, await store.RevokeTokensAsync("alice", first, default));

        Assert.Null(await store.FindTenantByTokenAsync(first, default));
        Assert.Equal("alice", await store.FindTenantByTokenAsync(second, default));
    }

    [Fact]
    public async Task Revoking_all_tokens_of_a_tenant()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);
        await store.UpsertAsync(Tenant("bob"), default);
        var a1 = await store.IssueTokenAsync("alice", default);
        var a2 = await store.IssueTokenAsync("alice", default);
        var b1 = await store.IssueTokenAsync("bob", default);

        Assert.Equal(2, await store.RevokeTokensAsync("alice", null, default));
        Assert.Equal(0, await store.RevokeTokensAsync("alice", null, default));
        Assert.Equal(0, await store.RevokeTokensAsync("bob", a1, default));
        Assert.Equal(0, await store.RevokeTokensAsync("nobody", null, default));

        Assert.Null(await store.FindTenantByTokenAsync(a1, default));
        Assert.Null(await store.FindTenantByTokenAsync(a2, default));
        Assert.Equal("bob", await store.FindTenantByTokenAsync(b1, default));
    }

    [Fact]
    public async Task A_revoked_token_added_again_works_again()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);
        await store.AddTokenAsync("alice", "provisioned-token", default);
        await store.RevokeTokensAsync("alice", "provisioned-token", default);
        Assert.Null(await store.FindTenantByTokenAsync("provisioned-token", default));

        await store.AddTokenAsync("alice", "provisioned-token", default);

        Assert.Equal("alice", await store.FindTenantByTokenAsync("provisioned-token", default));
    }

    [Fact]
    public async Task A_disabled_tenant_is_not_found_by_its_token()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);
        var token = await store.IssueTokenAsync("alice", default);

        await store.UpsertAsync(Tenant("alice", disabled: true), default);
        Assert.Null(await store.FindTenantByTokenAsync(token, default));
        Assert.True((await store.GetAsync("alice", default))!.Disabled);

        await store.UpsertAsync(Tenant("alice", disabled: false), default);
        Assert.Equal("alice", await store.FindTenantByTokenAsync(token, default));
    }

    [Fact]
    public async Task Everything_survives_a_new_store_instance()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice", "Alice"), default);
        await store.UpsertAsync(Tenant("bob", "Bob"), default);
        var kept = await store.IssueTokenAsync("alice", default);
        var revoked = await store.IssueTokenAsync("alice", default);
        await store.AddTokenAsync("bob", "bob-demo-token", default);
        await store.RevokeTokensAsync("alice", revoked, default);
        var created = (await store.GetAsync("alice", default))!.CreatedAt;

        var reopened = await OpenStoreAsync();

        var alice = await reopened.GetAsync("alice", default);
        Assert.Equal(Tenant("alice", "Alice") with { CreatedAt = created }, alice);
        Assert.Equal(["alice", "bob"], (await reopened.ListAsync(default)).Select(t => t.TenantId));
        Assert.Equal("alice", await reopened.FindTenantByTokenAsync(kept, default));
        Assert.Null(await reopened.FindTenantByTokenAsync(revoked, default));
        Assert.Equal("bob", await reopened.FindTenantByTokenAsync("bob-demo-token", default));
    }

    [Fact]
    public async Task Concurrent_token_issues_are_all_kept()
    {
        var store = await OpenStoreAsync();
        await store.UpsertAsync(Tenant("alice"), default);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.IssueTokenAsync("alice", default))));

        Assert.Equal(20, tokens.Distinct().Count());
        var reopened = await OpenStoreAsync();
        foreach (var token in tokens)
        {
            Assert.Equal("alice", await reopened.FindTenantByTokenAsync(token, default));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("white space")]
    [InlineData("ünicode")]
    [InlineData("x\0y")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Bad_tenant_ids_are_rejected(string tenantId)
    {
        var store = await OpenStoreAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync(Tenant(tenantId), default));
        Assert.Contains("tenant id", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(tenantId, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.IssueTokenAsync(tenantId, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddTokenAsync(tenantId, "some-token", default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.RevokeTokensAsync(tenantId, null, default));
        Assert.Empty(await store.ListAsync(default));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Tenant-01")]
    [InlineData("user.name_x")]
    [InlineData("...")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Good_tenant_ids_are_accepted(string tenantId)
    {
        var store = await OpenStoreAsync();

        await store.UpsertAsync(Tenant(tenantId), default);

        Assert.Equal(tenantId, (await store.GetAsync(tenantId, default))!.TenantId);
        Assert.True(TenantIds.IsValid(tenantId));
    }
}
