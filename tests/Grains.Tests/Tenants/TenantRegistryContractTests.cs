using Microsoft.AspNetCore.DataProtection;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Grains.Tests.Tenants;

/// <summary>What every <see cref="ITenantRegistry"/> must do; one derived class per store.</summary>
public abstract class TenantRegistryContractTests
{
    protected const string PlaintextApiKey = "sk-tenant-plaintext-0123456789";

    protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    protected ITenantSecretProtector Secrets { get; } =
        new DataProtectionTenantSecretProtector(new EphemeralDataProtectionProvider());

    /// <summary>A new registry instance over the same backing storage as every other call in this test.</summary>
    protected abstract Task<ITenantRegistry> OpenAsync();

    /// <summary>Everything the store wrote, as text (rows or files), to look for plaintext secrets.</summary>
    protected abstract Task<string> RawContentAsync();

    protected static TenantRecord Tenant(string id, string displayName = "", TenantStatus status = TenantStatus.Active, string plan = "pro") => new()
    {
        TenantId = id,
        DisplayName = displayName,
        Plan = plan,
        Status = status,
        Config = new TenantConfig { Provider = "openai", Model = "gpt-test", ApiKey = PlaintextApiKey, SystemPrompt = "Be kind." },
    };

    [Fact]
    public async Task Create_then_get_list_and_count()
    {
        var registry = await OpenAsync();
        var created = await registry.CreateAsync(Tenant("bob", "Bob"), default);
        await registry.CreateAsync(Tenant("alice", "Alice"), default);

        var alice = await registry.GetAsync("alice", default);

        Assert.NotNull(alice);
        Assert.Equal("Alice", alice.DisplayName);
        Assert.Equal("pro", alice.Plan);
        Assert.Equal(TenantStatus.Active, alice.Status);
        Assert.Equal("gpt-test", alice.Config.Model);
        Assert.Equal(Clock.GetUtcNow(), alice.CreatedAt);
        Assert.Equal(Clock.GetUtcNow(), alice.UpdatedAt);
        Assert.Equal(created, await registry.GetAsync("bob", default));
        Assert.Null(await registry.GetAsync("carol", default));
        Assert.Equal(["alice", "bob"], (await registry.ListAsync(new TenantQuery(), default)).Tenants.Select(t => t.TenantId));
        Assert.Equal(2, await registry.CountAsync(null, default));
        await Assert.ThrowsAsync<TenantAlreadyExistsException>(() => registry.CreateAsync(Tenant("alice"), default));
    }

    [Fact]
    public async Task Upsert_replaces_the_record_keeps_created_at_and_tokens()
    {
        var registry = await OpenAsync();
        await registry.UpsertAsync(Tenant("alice", "Alice"), default);
        var first = (await registry.GetAsync("alice", default))!;
        var token = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        Clock.Advance(TimeSpan.FromMinutes(3));

        var stored = await registry.UpsertAsync(Tenant("alice", "Alice Renamed", plan: "enterprise"), default);

        var second = (await registry.GetAsync("alice", default))!;
        Assert.Equal(stored, second);
        Assert.Equal("Alice Renamed", second.DisplayName);
        Assert.Equal("enterprise", second.Plan);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.Equal(first.CreatedAt + TimeSpan.FromMinutes(3), second.UpdatedAt);
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(token.Plaintext, default));

        var explicitCreated = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await registry.UpsertAsync(Tenant("alice") with { CreatedAt = explicitCreated }, default);
        Assert.Equal(explicitCreated, (await registry.GetAsync("alice", default))!.CreatedAt);
    }

    [Fact]
    public async Task Upsert_many_writes_a_batch_and_refuses_duplicates_and_bad_ids_without_writing()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("t-000"), default);
        var token = await registry.IssueTokenAsync("t-000", new TenantTokenRequest(), default);

        var written = await registry.UpsertManyAsync(Enumerable.Range(0, 50).Select(i => Tenant($"t-{i:000}", $"T{i}")).ToList(), default);

        Assert.Equal(50, written);
        Assert.Equal(50, await registry.CountAsync(null, default));
        Assert.Equal("T7", (await registry.GetAsync("t-007", default))!.DisplayName);
        Assert.Equal("t-000", await registry.FindTenantByTokenAsync(token.Plaintext, default));
        Assert.Equal(0, await registry.UpsertManyAsync([], default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.UpsertManyAsync([Tenant("x1"), Tenant("x1")], default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.UpsertManyAsync([Tenant("x2"), Tenant("../x")], default));
        Assert.Null(await registry.GetAsync("x1", default));
        Assert.Null(await registry.GetAsync("x2", default));
    }

    [Fact]
    public async Task Issued_tokens_are_random_named_listed_without_secrets_and_find_their_tenant()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        await registry.CreateAsync(Tenant("bob"), default);

        var alice = await registry.IssueTokenAsync("alice", new TenantTokenRequest { Name = "laptop" }, default);
        var bob = await registry.IssueTokenAsync("bob", new TenantTokenRequest(), default);

        Assert.StartsWith("oct_", alice.Plaintext);
        Assert.Equal(4 + 43, alice.Plaintext.Length);
        Assert.NotEqual(alice.Plaintext, bob.Plaintext);
        Assert.Equal(TenantTokens.IdOf(TenantTokens.Hash(alice.Plaintext)), alice.Token.TokenId);
        Assert.Equal("laptop", alice.Token.Name);
        Assert.Equal(Clock.GetUtcNow(), alice.Token.CreatedAt);
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(alice.Plaintext, default));
        Assert.Equal("bob", await registry.FindTenantByTokenAsync(bob.Plaintext, default));
        Assert.Null(await registry.FindTenantByTokenAsync("oct_unknown", default));
        Assert.Null(await registry.FindTenantByTokenAsync("", default));
        Assert.Null(await registry.FindTenantByTokenAsync(alice.Plaintext + "x", default));
        Assert.Null(await registry.FindTenantByTokenAsync(new string('a', TenantTokens.MaxLength + 1), default));

        var listed = Assert.Single(await registry.ListTokensAsync("alice", default));
        Assert.Equal(alice.Token.TokenId, listed.TokenId);
        Assert.Equal("laptop", listed.Name);
        Assert.DoesNotContain(alice.Plaintext, await RawContentAsync());
    }

    [Fact]
    public async Task Added_tokens_are_idempotent_and_cannot_be_shared_between_tenants()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        await registry.CreateAsync(Tenant("bob"), default);

        var first = await registry.AddTokenAsync("alice", "demo-token-alice", new TenantTokenRequest(), default);
        var again = await registry.AddTokenAsync("alice", "demo-token-alice", new TenantTokenRequest(), default);

        Assert.Equal(first.TokenId, again.TokenId);
        Assert.Single(await registry.ListTokensAsync("alice", default));
        Assert.Equal("alice", await registry.FindTenantByTokenAsync("demo-token-alice", default));
        var conflict = await Assert.ThrowsAsync<InvalidOperationException>(() => registry.AddTokenAsync("bob", "demo-token-alice", new TenantTokenRequest(), default));
        Assert.DoesNotContain("demo-token-alice", conflict.Message);
        Assert.Equal("alice", await registry.FindTenantByTokenAsync("demo-token-alice", default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.AddTokenAsync("alice", "", new TenantTokenRequest(), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.AddTokenAsync("alice", "has space", new TenantTokenRequest(), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.AddTokenAsync("alice", "ok-token", new TenantTokenRequest { Name = "" }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.AddTokenAsync("alice", "ok-token", new TenantTokenRequest { Name = new string('n', 101) }, default));
    }

    [Fact]
    public async Task Backend_provisioned_tokens_are_registered_by_hash()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        const string plaintext = "backend-issued-token-0123456789abcdef";

        var info = await registry.AddTokenHashAsync("alice", TenantTokens.Hash(plaintext), new TenantTokenRequest { Name = "backend" }, default);

        Assert.Equal("backend", info.Name);
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(plaintext, default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.AddTokenHashAsync("alice", plaintext, new TenantTokenRequest(), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.AddTokenHashAsync("alice", TenantTokens.Hash(plaintext).ToUpperInvariant(), new TenantTokenRequest(), default));
    }

    [Fact]
    public async Task Tokens_need_an_existing_tenant()
    {
        var registry = await OpenAsync();

        await Assert.ThrowsAsync<TenantNotFoundException>(() => registry.IssueTokenAsync("ghost", new TenantTokenRequest(), default));
        await Assert.ThrowsAsync<TenantNotFoundException>(() => registry.AddTokenAsync("ghost", "ghost-token", new TenantTokenRequest(), default));
        Assert.Null(await registry.FindTenantByTokenAsync("ghost-token", default));
        Assert.Empty(await registry.ListTokensAsync("ghost", default));
    }

    [Fact]
    public async Task Revoking_one_token_leaves_the_others()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var first = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        var second = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);

        Assert.True(await registry.RevokeTokenAsync("alice", first.Token.TokenId, default));
        Assert.False(await registry.RevokeTokenAsync("alice", first.Token.TokenId, default));
        Assert.False(await registry.RevokeTokenAsync("bob", second.Token.TokenId, default));

        Assert.Null(await registry.FindTenantByTokenAsync(first.Plaintext, default));
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(second.Plaintext, default));
        var revoked = (await registry.ListTokensAsync("alice", default)).Single(t => t.TokenId == first.Token.TokenId);
        Assert.Equal(Clock.GetUtcNow(), revoked.RevokedAt);
    }

    [Fact]
    public async Task Revoking_all_tokens_of_a_tenant()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        await registry.CreateAsync(Tenant("bob"), default);
        var a1 = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        var a2 = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        var b1 = await registry.IssueTokenAsync("bob", new TenantTokenRequest(), default);

        Assert.Equal(2, await registry.RevokeAllTokensAsync("alice", default));
        Assert.Equal(0, await registry.RevokeAllTokensAsync("alice", default));
        Assert.Equal(0, await registry.RevokeAllTokensAsync("nobody", default));

        Assert.Null(await registry.FindTenantByTokenAsync(a1.Plaintext, default));
        Assert.Null(await registry.FindTenantByTokenAsync(a2.Plaintext, default));
        Assert.Equal("bob", await registry.FindTenantByTokenAsync(b1.Plaintext, default));
    }

    [Fact]
    public async Task A_revoked_token_added_again_works_again()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var info = await registry.AddTokenAsync("alice", "provisioned-token", new TenantTokenRequest(), default);
        await registry.RevokeTokenAsync("alice", info.TokenId, default);
        Assert.Null(await registry.FindTenantByTokenAsync("provisioned-token", default));

        await registry.AddTokenAsync("alice", "provisioned-token", new TenantTokenRequest(), default);

        Assert.Equal("alice", await registry.FindTenantByTokenAsync("provisioned-token", default));
    }

    [Fact]
    public async Task Suspended_and_deleted_tenants_tokens_do_not_resolve_until_resumed()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var token = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);

        Assert.True(await registry.SetStatusAsync("alice", TenantStatus.Suspended, default));
        Assert.Null(await registry.FindTenantByTokenAsync(token.Plaintext, default));
        Assert.Equal(TenantStatus.Suspended, (await registry.GetAsync("alice", default))!.Status);

        Assert.True(await registry.SetStatusAsync("alice", TenantStatus.Deleted, default));
        Assert.Null(await registry.FindTenantByTokenAsync(token.Plaintext, default));
        Assert.Equal(0, await registry.CountAsync(null, default));
        Assert.Equal(1, await registry.CountAsync(TenantStatus.Deleted, default));
        await Assert.ThrowsAsync<TenantAlreadyExistsException>(() => registry.CreateAsync(Tenant("alice"), default));

        Assert.True(await registry.SetStatusAsync("alice", TenantStatus.Active, default));
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(token.Plaintext, default));
        Assert.False(await registry.SetStatusAsync("nobody", TenantStatus.Suspended, default));
    }

    [Fact]
    public async Task Purge_removes_the_tenant_and_its_tokens_for_good()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var token = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);

        Assert.True(await registry.PurgeAsync("alice", default));
        Assert.False(await registry.PurgeAsync("alice", default));

        Assert.Null(await registry.GetAsync("alice", default));
        Assert.Null(await registry.FindTenantByTokenAsync(token.Plaintext, default));
        Assert.Empty(await registry.ListTokensAsync("alice", default));
        await registry.CreateAsync(Tenant("alice"), default);
        Assert.Null(await registry.FindTenantByTokenAsync(token.Plaintext, default));
    }

    [Fact]
    public async Task Pages_in_id_order_with_status_and_plan_filters()
    {
        var registry = await OpenAsync();
        var tenants = Enumerable.Range(0, 25).Select(i => Tenant(
            $"t{i:00}",
            plan: i % 2 == 0 ? "free" : "pro",
            status: i % 5 == 0 ? TenantStatus.Suspended : i % 7 == 0 ? TenantStatus.Deleted : TenantStatus.Active)).ToList();
        await registry.UpsertManyAsync(tenants, default);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await registry.ListAsync(new TenantQuery { After = after, Limit = 10 }, default);
            seen.AddRange(page.Tenants.Select(t => t.TenantId));
            after = page.NextAfter;
            pages++;
        }
        while (after is not null);

        var notDeleted = tenants.Where(t => t.Status != TenantStatus.Deleted).Select(t => t.TenantId).ToList();
        Assert.Equal(notDeleted, seen);
        Assert.Equal(3, pages);
        Assert.Equal(notDeleted.Count, await registry.CountAsync(null, default));

        var suspended = await registry.ListAsync(new TenantQuery { Status = TenantStatus.Suspended, Limit = 100 }, default);
        Assert.Equal(["t00", "t05", "t10", "t15", "t20"], suspended.Tenants.Select(t => t.TenantId));
        Assert.Null(suspended.NextAfter);
        Assert.Equal(5, await registry.CountAsync(TenantStatus.Suspended, default));

        var activePro = await registry.ListAsync(new TenantQuery { Status = TenantStatus.Active, Plan = "pro", Limit = 100 }, default);
        Assert.Equal(
            tenants.Where(t => t.Status == TenantStatus.Active && t.Plan == "pro").Select(t => t.TenantId),
            activePro.Tenants.Select(t => t.TenantId));
        Assert.Equal(["t07", "t14", "t21"], (await registry.ListAsync(new TenantQuery { Status = TenantStatus.Deleted }, default)).Tenants.Select(t => t.TenantId));
        Assert.Empty((await registry.ListAsync(new TenantQuery { Plan = "nope" }, default)).Tenants);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.ListAsync(new TenantQuery { Limit = 0 }, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.ListAsync(new TenantQuery { Limit = TenantQuery.MaxLimit + 1 }, default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.ListAsync(new TenantQuery { After = "'; DROP TABLE tenants; --" }, default));
    }

    [Fact]
    public async Task Rotation_keeps_both_tokens_valid_for_the_overlap_then_refuses_the_old_one()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var old = await registry.IssueTokenAsync("alice", new TenantTokenRequest { Name = "ci" }, default);

        var rotated = await registry.RotateTokenAsync("alice", old.Token.TokenId, TimeSpan.FromHours(1), default);

        Assert.Equal("ci", rotated.Token.Name);
        Assert.NotEqual(old.Plaintext, rotated.Plaintext);
        Assert.Null(rotated.Token.ExpiresAt);
        var oldInfo = (await registry.ListTokensAsync("alice", default)).Single(t => t.TokenId == old.Token.TokenId);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromHours(1), oldInfo.ExpiresAt);

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(old.Plaintext, default));
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(rotated.Plaintext, default));

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await registry.FindTenantByTokenAsync(old.Plaintext, default));
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(rotated.Plaintext, default));

        await Assert.ThrowsAsync<InvalidOperationException>(() => registry.RotateTokenAsync("alice", old.Token.TokenId, TimeSpan.FromHours(1), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RotateTokenAsync("alice", "not-a-token-id", TimeSpan.FromHours(1), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.RotateTokenAsync("alice", rotated.Token.TokenId, TimeSpan.FromDays(365), default));
    }

    [Fact]
    public async Task Rotation_keeps_an_earlier_expiry_of_the_old_token()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var expiresAt = Clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        var old = await registry.IssueTokenAsync("alice", new TenantTokenRequest { ExpiresAt = expiresAt }, default);

        await registry.RotateTokenAsync("alice", old.Token.TokenId, TimeSpan.FromHours(1), default);

        Assert.Equal(expiresAt, (await registry.ListTokensAsync("alice", default)).Single(t => t.TokenId == old.Token.TokenId).ExpiresAt);
    }

    [Fact]
    public async Task A_token_stops_working_at_its_expiry()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var token = await registry.IssueTokenAsync("alice", new TenantTokenRequest { ExpiresAt = Clock.GetUtcNow() + TimeSpan.FromMinutes(10) }, default);

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal("alice", await registry.FindTenantByTokenAsync(token.Plaintext, default));

        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await registry.FindTenantByTokenAsync(token.Plaintext, default));
        Assert.False(Assert.Single(await registry.ListTokensAsync("alice", default)).IsValidAt(Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Last_use_is_recorded_coarsely_not_on_every_lookup()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        var token = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        Assert.Null(token.Token.LastUsedAt);
        var firstUse = Clock.GetUtcNow();

        await registry.FindTenantByTokenAsync(token.Plaintext, default);
        Assert.Equal(firstUse, await LastUsedAsync());

        Clock.Advance(TenantRegistryDefaults.LastUsedResolution - TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5; i++) await registry.FindTenantByTokenAsync(token.Plaintext, default);
        Assert.Equal(firstUse, await LastUsedAsync());

        Clock.Advance(TimeSpan.FromSeconds(1));
        await registry.FindTenantByTokenAsync(token.Plaintext, default);
        Assert.Equal(Clock.GetUtcNow(), await LastUsedAsync());

        async Task<DateTimeOffset?> LastUsedAsync() => Assert.Single(await registry.ListTokensAsync("alice", default)).LastUsedAt;
    }

    [Fact]
    public async Task Api_keys_are_stored_and_handed_out_only_protected()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);
        await registry.UpsertManyAsync([Tenant("bob")], default);

        foreach (var id in new[] { "alice", "bob" })
        {
            var key = (await registry.GetAsync(id, default))!.Config.ApiKey!;
            Assert.StartsWith(TenantSecrets.Prefix, key);
            Assert.Equal(PlaintextApiKey, Secrets.Unprotect(key));
        }

        var raw = await RawContentAsync();
        Assert.Contains("gpt-test", raw);
        Assert.DoesNotContain(PlaintextApiKey, raw);

        // Writing back a record as read keeps the same protected key (no double protection).
        var alice = (await registry.GetAsync("alice", default))!;
        await registry.UpsertAsync(alice, default);
        Assert.Equal(alice.Config.ApiKey, (await registry.GetAsync("alice", default))!.Config.ApiKey);
    }

    [Fact]
    public async Task Everything_survives_a_new_registry_instance()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice", "Alice"), default);
        await registry.CreateAsync(Tenant("bob", "Bob"), default);
        var kept = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        var revoked = await registry.IssueTokenAsync("alice", new TenantTokenRequest(), default);
        await registry.AddTokenAsync("bob", "bob-demo-token", new TenantTokenRequest(), default);
        await registry.RevokeTokenAsync("alice", revoked.Token.TokenId, default);
        var alice = await registry.GetAsync("alice", default);

        var reopened = await OpenAsync();

        Assert.Equal(alice, await reopened.GetAsync("alice", default));
        Assert.Equal(["alice", "bob"], (await reopened.ListAsync(new TenantQuery(), default)).Tenants.Select(t => t.TenantId));
        Assert.Equal("alice", await reopened.FindTenantByTokenAsync(kept.Plaintext, default));
        Assert.Null(await reopened.FindTenantByTokenAsync(revoked.Plaintext, default));
        Assert.Equal("bob", await reopened.FindTenantByTokenAsync("bob-demo-token", default));
    }

    [Fact]
    public async Task Concurrent_token_issues_are_all_kept()
    {
        var registry = await OpenAsync();
        await registry.CreateAsync(Tenant("alice"), default);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => registry.IssueTokenAsync("alice", new TenantTokenRequest(), default))));

        Assert.Equal(20, tokens.Select(t => t.Plaintext).Distinct().Count());
        var reopened = await OpenAsync();
        foreach (var token in tokens)
        {
            Assert.Equal("alice", await reopened.FindTenantByTokenAsync(token.Plaintext, default));
        }
    }

    [Fact]
    public async Task With_100000_tenants_single_tenant_operations_still_work()
    {
        const int count = 100_000;
        var registry = await OpenAsync();
        for (var start = 0; start < count; start += 10_000)
        {
            var batch = Enumerable.Range(start, 10_000).Select(i => new TenantRecord
            {
                TenantId = $"bulk-{i:000000}",
                Plan = i % 10 == 0 ? "pro" : "free",
                Config = new TenantConfig { Provider = "echo", Model = "echo-1" },
            }).ToList();
            Assert.Equal(batch.Count, await registry.UpsertManyAsync(batch, default));
        }

        await registry.CreateAsync(Tenant("newcomer"), default);
        var token = await registry.IssueTokenAsync("bulk-054321", new TenantTokenRequest(), default);

        Assert.Equal(count + 1, await registry.CountAsync(null, default));
        Assert.Equal("pro", (await registry.GetAsync("bulk-099990", default))!.Plan);
        Assert.NotNull(await registry.GetAsync("newcomer", default));
        Assert.Equal("bulk-054321", await registry.FindTenantByTokenAsync(token.Plaintext, default));
        var page = await registry.ListAsync(new TenantQuery { After = "bulk-050000", Plan = "pro", Limit = 3 }, default);
        Assert.Equal(["bulk-050010", "bulk-050020", "bulk-050030"], page.Tenants.Select(t => t.TenantId));
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
    [InlineData("' OR 1=1 --")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Bad_tenant_ids_are_rejected(string tenantId)
    {
        var registry = await OpenAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => registry.UpsertAsync(Tenant(tenantId), default));
        Assert.Contains("tenant id", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => registry.CreateAsync(Tenant(tenantId), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.GetAsync(tenantId, default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.IssueTokenAsync(tenantId, new TenantTokenRequest(), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.AddTokenAsync(tenantId, "some-token", new TenantTokenRequest(), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RevokeAllTokensAsync(tenantId, default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.SetStatusAsync(tenantId, TenantStatus.Suspended, default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.PurgeAsync(tenantId, default));
        Assert.Equal(0, await registry.CountAsync(null, default));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Tenant-01")]
    [InlineData("user.name_x")]
    [InlineData("...")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Good_tenant_ids_are_accepted(string tenantId)
    {
        var registry = await OpenAsync();

        await registry.UpsertAsync(Tenant(tenantId), default);

        Assert.Equal(tenantId, (await registry.GetAsync(tenantId, default))!.TenantId);
    }

    [Fact]
    public async Task Oversized_display_names_and_plans_are_rejected()
    {
        var registry = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => registry.CreateAsync(Tenant("alice", new string('n', 201)), default));
        await Assert.ThrowsAsync<ArgumentException>(() => registry.CreateAsync(Tenant("alice", plan: new string('p', 65)), default));
        Assert.Null(await registry.GetAsync("alice", default));
    }
}
