using System.Net;
using System.Net.Sockets;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Tests.UserGrainTests;

namespace OpenClaw.Grains.Tests.ControlPlane;

/// <summary>The real ConfigSyncGrain against the Cloud Backend test double over real HTTP.</summary>
public sealed class ConfigSyncGrainTests : IAsyncLifetime
{
    private const string AliceToken = "oct_alice-backend-token-0123456789abcdef";
    private const string AliceSecondToken = "oct_alice-second-token-0123456789abcdef";
    private const string BobToken = "oct_bob-backend-token-0123456789abcdef";

    private FakeCloudBackend _backend = null!;
    private SyncTestSilo _host = null!;

    public async Task InitializeAsync()
    {
        _backend = await FakeCloudBackend.StartAsync();
        _host = await SyncTestSilo.StartAsync(_backend.Url);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private InMemoryTenantRegistry Registry => _host.Registry;

    private static BackendUserSpec User(string id, string model = "m-1", string status = "active", params BackendTokenSpec[] tokens) => new()
    {
        UserId = id,
        DisplayName = id.ToUpperInvariant(),
        Plan = "pro",
        Status = status,
        Config = new BackendConfigSpec { Provider = "scripted", Model = model, ApiKey = "sk-" + id },
        Tokens = tokens,
    };

    private static BackendTokenSpec Token(string plaintext, bool revoked = false) =>
        new() { Sha256 = TenantTokens.Hash(plaintext), Name = "app", Revoked = revoked };

    [Fact]
    public async Task A_pass_creates_updates_suspends_deletes_and_revokes_and_continues_from_its_cursor()
    {
        _backend.Put(User("alice", tokens: [Token(AliceToken), Token(AliceSecondToken)]));
        _backend.Put(User("bob", tokens: Token(BobToken)));
        _backend.Put(User("carol"));
        _backend.Put(User("gone", status: "deleted"));

        var first = await _host.Sync.SyncNow();

        Assert.True(first.Enabled);
        Assert.Equal(0, first.ConsecutiveFailures);
        Assert.Equal(3, first.LastCreated);
        Assert.Equal("v4", first.Cursor);
        Assert.Equal("m-1", (await Registry.GetAsync("alice", default))!.Config.Model);
        Assert.Equal("pro", (await Registry.GetAsync("alice", default))!.Plan);
        Assert.Null(await Registry.GetAsync("gone", default));
        Assert.Equal("alice", await Registry.FindTenantByTokenAsync(AliceToken, default));
        Assert.Equal("bob", await Registry.FindTenantByTokenAsync(BobToken, default));
        // Page size 2: three requests (v0 → v2 → v4, the last one has no more).
        Assert.Equal([null, "v2"], _backend.Requests.Take(2).Select(r => r.Cursor));

        _backend.Update("alice", u => u with { Config = u.Config with { Model = "m-2" }, Tokens = [Token(AliceToken, revoked: true), Token(AliceSecondToken)] });
        _backend.Update("bob", u => u with { Status = "suspended" });
        _backend.Update("carol", u => u with { Status = "deleted" });
        while (_backend.Requests.TryDequeue(out _)) { }

        var second = await _host.Sync.SyncNow();

        Assert.Equal(0, second.ConsecutiveFailures);
        Assert.Equal((0, 3, 1, 1, 1), (second.LastCreated, second.LastUpdated, second.LastSuspended, second.LastDeleted, second.LastTokensRevoked));
        Assert.Equal("v4", _backend.Requests.First().Cursor);
        Assert.Equal("m-2", (await Registry.GetAsync("alice", default))!.Config.Model);
        Assert.Null(await Registry.FindTenantByTokenAsync(AliceToken, default));
        Assert.Equal("alice", await Registry.FindTenantByTokenAsync(AliceSecondToken, default));
        Assert.Equal(TenantStatus.Suspended, Registry.StatusOf("bob"));
        Assert.Null(await Registry.FindTenantByTokenAsync(BobToken, default));
        Assert.Equal(TenantStatus.Deleted, Registry.StatusOf("carol"));

        // Nothing changed at the backend: the next pass writes nothing.
        var writes = Registry.Writes;
        var third = await _host.Sync.SyncNow();
        Assert.Equal(0, third.LastUpdated);
        Assert.Equal(writes, Registry.Writes);

        // Resumed at the backend: active again, its unrevoked token works again.
        _backend.Update("bob", u => u with { Status = "active" });
        await _host.Sync.SyncNow();
        Assert.Equal(TenantStatus.Active, Registry.StatusOf("bob"));
        Assert.Equal("bob", await Registry.FindTenantByTokenAsync(BobToken, default));
    }

    public static TheoryData<string> Faults => ["500", "slow", "garbage", "truncated", "huge", "dropped", "contract", "unauthorized"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_backend_keeps_the_last_good_state_counts_failures_and_recovery_resets_them(string fault)
    {
        _backend.Put(User("alice", tokens: Token(AliceToken)));
        Assert.Equal(0, (await _host.Sync.SyncNow()).ConsecutiveFailures);
        var good = await _host.Sync.GetStatus();

        // A change is waiting at the backend, but the backend fails.
        _backend.Update("alice", u => u with { Config = u.Config with { Model = "m-2" }, Tokens = [Token(AliceToken, revoked: true)] });
        _backend.Fault = fault switch
        {
            "500" => FakeCloudBackend.Status(500),
            "slow" => FakeCloudBackend.Slow(TimeSpan.FromSeconds(30)),
            "garbage" => FakeCloudBackend.Body("<html>oops</html>"),
            "truncated" => FakeCloudBackend.TruncatedBody("""{"users":[{"userId":"alice","status":"suspended"}],"hasMore":false}"""),
            "huge" => FakeCloudBackend.HugeBody(100_000),
            "dropped" => FakeCloudBackend.Drop(),
            "contract" => FakeCloudBackend.Body("""{"users":[{"userId":"alice","status":"suspended"},{"userId":"../etc","status":"active"}],"hasMore":false}"""),
            "unauthorized" => FakeCloudBackend.Status(401),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        var failed = await _host.Sync.SyncNow();
        var failedAgain = await _host.Sync.SyncNow();

        Assert.Equal(1, failed.ConsecutiveFailures);
        Assert.Equal(2, failedAgain.ConsecutiveFailures);
        Assert.False(string.IsNullOrEmpty(failedAgain.LastError));
        Assert.DoesNotContain(FakeCloudBackend.ServiceToken, failedAgain.LastError, StringComparison.Ordinal);
        Assert.Equal(good.Cursor, failedAgain.Cursor);
        Assert.Equal(good.LastSuccessAt, failedAgain.LastSuccessAt);
        Assert.True(failedAgain.NextAttemptAt > failed.NextAttemptAt, "the backoff grows");
        // Nobody loses service: the tenant, its config and its token are as before.
        Assert.Equal(TenantStatus.Active, Registry.StatusOf("alice"));
        Assert.Equal("m-1", (await Registry.GetAsync("alice", default))!.Config.Model);
        Assert.Equal("alice", await Registry.FindTenantByTokenAsync(AliceToken, default));
        Assert.Null(await Registry.GetAsync("huge-0", default));

        _backend.Fault = null;
        var recovered = await _host.Sync.SyncNow();

        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.Null(recovered.LastError);
        Assert.Equal("m-2", (await Registry.GetAsync("alice", default))!.Config.Model);
        Assert.Null(await Registry.FindTenantByTokenAsync(AliceToken, default));
    }

    [Fact]
    public async Task Failure_messages_name_the_cause()
    {
        _backend.Fault = FakeCloudBackend.Status(500);
        Assert.Contains("500", (await _host.Sync.SyncNow()).LastError, StringComparison.Ordinal);
        _backend.Fault = FakeCloudBackend.Slow(TimeSpan.FromSeconds(30));
        Assert.Contains("did not answer within 2000 ms", (await _host.Sync.SyncNow()).LastError, StringComparison.Ordinal);
        _backend.Fault = FakeCloudBackend.HugeBody(100_000);
        Assert.Contains("larger than the limit", (await _host.Sync.SyncNow()).LastError, StringComparison.Ordinal);
        _backend.Fault = FakeCloudBackend.Body("""{"users":[{"userId":"a","status":"paused"}],"hasMore":false}""");
        Assert.Contains("users[0].status", (await _host.Sync.SyncNow()).LastError, StringComparison.Ordinal);
        _backend.Fault = FakeCloudBackend.Status(401);
        Assert.Contains("service token", (await _host.Sync.SyncNow()).LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_failure_fails_the_pass_without_moving_the_cursor()
    {
        _backend.Put(User("alice"));
        Registry.WriteFailure = new InvalidOperationException("database down");

        var failed = await _host.Sync.SyncNow();

        Assert.Equal(1, failed.ConsecutiveFailures);
        Assert.Null(failed.Cursor);
        Registry.WriteFailure = null;
        var recovered = await _host.Sync.SyncNow();
        Assert.Equal("v1", recovered.Cursor);
        Assert.NotNull(await Registry.GetAsync("alice", default));
    }

    [Fact]
    public async Task A_config_change_reaches_an_active_tenant_without_reconnecting_and_dormant_tenants_stay_dormant()
    {
        _backend.Put(User("alice", model: "m-1"));
        _backend.Put(User("dora", model: "m-1"));
        await _host.Sync.SyncNow();

        var alice = _host.Silo.GrainFactory.GetGrain<IUserGrain>("alice");
        var observer = new CollectingObserver();
        await alice.Subscribe("edge-1", _host.Silo.GrainFactory.CreateObjectReference<ITenantEventObserver>(observer));
        await RunAsync(alice, "one");
        Assert.Equal("m-1", _host.Llm.Calls[^1].Request.Model);

        _backend.Update("alice", u => u with { Config = u.Config with { Model = "m-2" } });
        _backend.Update("dora", u => u with { Config = u.Config with { Model = "m-2" } });
        await _host.Sync.SyncNow();

        await observer.WaitForAsync(TenantControlEvents.CredentialsChanged, TimeSpan.FromSeconds(5));
        await RunAsync(alice, "two");
        Assert.Equal("m-2", _host.Llm.Calls[^1].Request.Model);
        Assert.False(_host.Silo.IsActive<IUserGrain>("dora"));
    }

    [Fact]
    public async Task A_suspended_active_tenant_is_told_and_refuses_calls()
    {
        _backend.Put(User("alice"));
        await _host.Sync.SyncNow();
        var alice = _host.Silo.GrainFactory.GetGrain<IUserGrain>("alice");
        var observer = new CollectingObserver();
        await alice.Subscribe("edge-1", _host.Silo.GrainFactory.CreateObjectReference<ITenantEventObserver>(observer));
        Assert.True((await alice.Invoke(Call("health", "{}"))).Ok);

        _backend.Update("alice", u => u with { Status = "suspended" });
        await _host.Sync.SyncNow();

        await observer.WaitForAsync(TenantControlEvents.CredentialsChanged, TimeSpan.FromSeconds(5));
        var refused = await alice.Invoke(Call("health", "{}"));
        Assert.False(refused.Ok);
        Assert.Equal(GatewayErrorCodes.Unavailable, refused.Error!.Code);
    }

    [Fact]
    public async Task The_state_survives_a_new_activation()
    {
        _backend.Put(User("alice"));
        await _host.Sync.SyncNow();
        _backend.Fault = FakeCloudBackend.Status(503);
        await _host.Sync.SyncNow();

        await _host.Silo.DeactivateAsync<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey);
        Assert.False(_host.Silo.IsActive<IConfigSyncGrain>(IConfigSyncGrain.ClusterKey));
        var status = await _host.Sync.GetStatus();

        Assert.Equal(1, status.ConsecutiveFailures);
        Assert.Equal("v1", status.Cursor);
        Assert.NotNull(status.LastSuccessAt);
    }

    [Fact]
    public async Task An_expired_cursor_starts_a_full_pass()
    {
        _backend.Put(User("alice"));
        await _host.Sync.SyncNow();
        _backend.Put(User("bob"));
        _backend.Put(User("carol"));
        _backend.ForgetCursorsBefore = 2;
        while (_backend.Requests.TryDequeue(out _)) { }

        var status = await _host.Sync.SyncNow();

        Assert.True(status.ConsecutiveFailures == 0, status.LastError);
        Assert.Equal(["v1", null], _backend.Requests.Take(2).Select(r => r.Cursor));
        Assert.Equal("v3", status.Cursor);
        Assert.NotNull(await Registry.GetAsync("carol", default));
    }

    [Fact]
    public async Task SyncTenant_fetches_that_user_only_and_leaves_the_cursor()
    {
        _backend.Put(User("alice"));
        _backend.Put(User("bob"));
        while (_backend.Requests.TryDequeue(out _)) { }

        var status = await _host.Sync.SyncTenant("bob");

        var request = Assert.Single(_backend.Requests);
        Assert.Equal(("bob", 1), (request.UserId, request.Limit));
        Assert.NotNull(await Registry.GetAsync("bob", default));
        Assert.Null(await Registry.GetAsync("alice", default));
        Assert.Null(status.Cursor);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _host.Sync.SyncTenant("../x"));
    }

    [Fact]
    public async Task A_backend_nobody_listens_on_is_a_failure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var host = await SyncTestSilo.StartAsync($"http://127.0.0.1:{port}");

        var status = await host.Sync.SyncNow();

        Assert.Equal(1, status.ConsecutiveFailures);
        Assert.Contains("could not be reached", status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_the_sync_is_off_and_makes_no_requests()
    {
        await using var host = await SyncTestSilo.StartAsync(backendUrl: null);

        var status = await host.Sync.SyncNow();
        await host.Sync.EnsureRunning();

        Assert.False(status.Enabled);
        Assert.Null(status.BackendUrl);
        Assert.Empty(_backend.Requests);
    }

    private async Task RunAsync(IUserGrain grain, string key)
    {
        var ack = await grain.Invoke(Call("agent", $$"""{"message":"hi","idempotencyKey":"{{key}}"}"""));
        Assert.True(ack.Ok, ack.Error?.Message);
        var final = await grain.InvokeInterleaved(Call(GatewayMethodCatalog.AgentFinal, $$"""{"runId":"{{key}}"}"""));
        Assert.True(final.Ok, final.Error?.Message);
    }

    private static GatewayCall Call(string method, string paramsJson) => new()
    {
        Method = method,
        ParamsJson = paramsJson,
        ConnectionId = "conn-1",
        Scopes = GatewayHarness.AllScopes,
    };
}
