using OpenClaw.EdgeGateway.Tests.Infrastructure;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>
/// The edge tells the tenant grain which sockets are open (<see cref="IUserGrain.ConnectionOpened"/> /
/// <see cref="IUserGrain.ConnectionClosed"/>): after hello-ok, on close, again for every socket after
/// a resubscribe, and again after a failed report at the next renewal.
/// </summary>
public sealed class ConnectionReportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_node_is_reported_with_everything_it_declared_and_its_verified_device()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, hello, device) = await NodeConnectTests.ConnectNodeAsync(server, parameters =>
            parameters["permissions"] = new System.Text.Json.Nodes.JsonObject { ["camera.capture"] = true });
        await using var _c = client;
        var connectionId = hello.GetProperty("payload").GetProperty("server").GetProperty("connId").GetString()!;
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);

        await WaitUntilAsync(() => grain.OpenConnections.ContainsKey(connectionId), "the node was not reported");
        var info = grain.OpenConnections[connectionId];
        var reference = NodeConnectTests.NodeHostParams();

        Assert.Equal(GatewayRoles.Node, info.Role);
        Assert.Empty(info.Scopes);
        Assert.Equal(["browser", "file", "local-inference", "mcp", "system"], info.Caps);
        Assert.Equal(reference["commands"]!.AsArray().Select(c => c!.GetValue<string>()), info.Commands);
        Assert.Contains("system.run", info.Commands);
        Assert.Equal(new Dictionary<string, bool> { ["camera.capture"] = true }, info.Permissions);
        Assert.Equal("/usr/local/bin:/usr/bin:/bin", info.PathEnv);
        Assert.Equal("node-host", info.ClientId);
        Assert.Equal("node", info.ClientMode);
        Assert.Equal("agent-check-node-af0196", info.DisplayName);
        Assert.Equal("linux", info.Platform);
        Assert.Equal("2026.9.6", info.Version);
        Assert.Equal("Linux", info.DeviceFamily);
        Assert.Equal("f226cbfa-0061-4dd5-a8ab-4a110e07e679", info.InstanceId);
        Assert.Equal(device.Id, info.DeviceId);
        Assert.False(string.IsNullOrEmpty(info.RemoteIp));
        Assert.InRange(info.ConnectedAtMs, server.Time.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds(), server.Time.GetUtcNow().AddMinutes(1).ToUnixTimeMilliseconds());
        Assert.Contains(info.SubscriberId, grain.Subscribers.Keys);
    }

    [Fact]
    public async Task An_operator_without_a_device_is_reported_without_a_device_id_and_closed_on_close()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (client, hello) = await server.ConnectAsync(scopes: ["operator.read", "operator.approvals"]);
        var connectionId = hello.GetProperty("payload").GetProperty("server").GetProperty("connId").GetString()!;
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);

        await WaitUntilAsync(() => grain.OpenConnections.ContainsKey(connectionId), "the operator was not reported");
        var info = grain.OpenConnections[connectionId];
        Assert.Equal(GatewayRoles.Operator, info.Role);
        Assert.Equal(["operator.read", "operator.approvals"], info.Scopes);
        Assert.Null(info.DeviceId);
        Assert.Equal("cli", info.ClientId);
        Assert.Empty(info.Commands);
        Assert.Null(info.Permissions);

        await client.DisposeAsync();
        await WaitUntilAsync(() => grain.ConnectionReports.Contains("closed:" + connectionId), "the close was not reported");
        Assert.Equal(["opened:" + connectionId, "closed:" + connectionId], grain.ConnectionReports.Where(r => r.EndsWith(connectionId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_refused_connect_is_never_reported()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await AuthTests.AttemptAsync(server, "wrong-token");
        var (client, _) = await server.ConnectAsync();
        await using var _c = client;
        await WaitUntilAsync(() => !server.Grains.Grain(EdgeTestServer.TenantA).OpenConnections.IsEmpty, "the good socket was not reported");

        Assert.Single(server.Grains.Grain(EdgeTestServer.TenantA).ConnectionReports);
    }

    [Fact]
    public async Task After_the_grain_asks_for_a_resubscribe_every_socket_of_the_tenant_is_reported_again()
    {
        await using var server = await EdgeTestServer.StartAsync();
        var (a1, h1) = await server.ConnectAsync();
        var (a2, h2, _) = await NodeConnectTests.ConnectNodeAsync(server);
        var (b1, _) = await server.ConnectAsync(EdgeTestServer.TokenB);
        await using var _a1 = a1;
        await using var _a2 = a2;
        await using var _b1 = b1;
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        var other = server.Grains.Grain(EdgeTestServer.TenantB);
        string[] ids = [ConnId(h1), ConnId(h2)];
        await WaitUntilAsync(() => ids.All(grain.OpenConnections.ContainsKey) && !other.OpenConnections.IsEmpty, "the sockets were not reported");
        await FrameTests.WaitForSubscriptionAsync(server, EdgeTestServer.TenantA, 2);
        var otherReports = other.ConnectionReports.Count;

        // A new activation knows no sockets and no subscriptions; it tells the edge to subscribe again.
        var observers = grain.Subscribers.Values.ToList();
        grain.Subscribers.Clear();
        grain.OpenConnections.Clear();
        foreach (var observer in observers) observer.OnEvent(new TenantEvent(TenantEventSubscription.ResubscribeEvent, "{}"));

        await WaitUntilAsync(() => ids.All(grain.OpenConnections.ContainsKey), "the sockets were not reported again");
        Assert.Equal(GatewayRoles.Node, grain.OpenConnections[ids[1]].Role);
        Assert.Equal(otherReports, other.ConnectionReports.Count);
    }

    [Fact]
    public async Task A_failed_report_is_logged_and_made_again_at_the_next_renewal_and_the_socket_keeps_working()
    {
        await using var server = await EdgeTestServer.StartAsync(new Dictionary<string, string?> { ["SubscriptionRenewalIntervalMs"] = "100" });
        var grain = server.Grains.Grain(EdgeTestServer.TenantA);
        grain.FailConnectionReports = true;
        var (client, hello) = await server.ConnectAsync();
        await using var _c = client;
        await MalformedInputTests.WaitForLogAsync(server, "failed; retried at the next subscription renewal");

        var echo = await client.CallAsync("health");
        Assert.True(echo.GetProperty("ok").GetBoolean());

        grain.FailConnectionReports = false;
        await WaitUntilAsync(() => grain.OpenConnections.ContainsKey(ConnId(hello)), "the failed report was not made again");
    }

    internal static string ConnId(System.Text.Json.JsonElement hello) =>
        hello.GetProperty("payload").GetProperty("server").GetProperty("connId").GetString()!;

    internal static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(failure);
            await Task.Delay(10);
        }
    }
}
