using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using OpenClaw.Cluster.Tests.Infrastructure;

namespace OpenClaw.Cli.Tests;

/// <summary>The operator CLI against a running silo over real HTTP, with tenants connecting over real WebSockets.</summary>
public sealed class OperatorCliTests : IAsyncLifetime
{
    private static readonly string[] Scopes = ["operator.read", "operator.write"];
    private CliTestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await CliTestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private Task<CliRun> Cli(params string[] args) =>
        CliRun.RunAsync(new Dictionary<string, string> { ["OPENCLAW_SERVICE_TOKEN"] = CliTestSilo.ServiceToken },
            ["--url", _silo.Http.AbsoluteUri, .. args]);

    private static int UserActivations(JsonElement stats) =>
        stats.GetProperty("silos").EnumerateArray().Sum(s =>
            s.GetProperty("activationsByType").TryGetProperty("user", out var n) ? n.GetInt32() : 0);

    private async Task<string[]> ActiveTenantsAsync()
    {
        var run = await Cli("multi-tenant", "users", "list", "--active", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Json().GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("tenantId").GetString()!).ToArray();
    }

    /// <summary>Connects a tenant as a client would and waits until its grain is active (it activates as the connection subscribes).</summary>
    private async Task<ProtocolClient> ConnectAsync(string token, string tenant)
    {
        var client = await ProtocolClient.ConnectAsync(_silo.WebSocket, token, Scopes);
        await Eventually(async () => (await ActiveTenantsAsync()).Contains(tenant), $"{tenant} active after connecting");
        return client;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within 30 s: {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Stats_shows_the_silo_and_its_tenant_activation_after_a_tenant_connects()
    {
        var before = await Cli("multi-tenant", "stats", "--json");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal(0, UserActivations(before.Json()));

        await using var alice = await ConnectAsync(CliTestSilo.AliceToken, "alice");

        var json = await Cli("multi-tenant", "stats", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var stats = json.Json();
        var silo = Assert.Single(stats.GetProperty("silos").EnumerateArray());
        Assert.Equal("local", silo.GetProperty("silo").GetString());
        Assert.Equal(1, UserActivations(stats));
        Assert.True(silo.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(silo.GetProperty("maxActivations").GetInt32() > 0);
        Assert.True(silo.GetProperty("callsTotal").GetInt64() > 0, "the connect made grain calls");
        Assert.Empty(stats.GetProperty("unreachable").EnumerateArray());

        var table = await Cli("multi-tenant", "stats");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("1 silo(s)", table.Out);
        Assert.Contains("local", table.Out);
        Assert.Matches(@"│\s*user\s*│\s*1\s*│", table.Out);
    }

    [Fact]
    public async Task Users_cleanup_deactivates_a_tenant_that_went_idle_and_keeps_a_connected_one()
    {
        await using (await ConnectAsync(CliTestSilo.AliceToken, "alice"))
        {
        }
        await using var bob = await ConnectAsync(CliTestSilo.BobToken, "bob");
        Assert.Equal(["alice", "bob"], await ActiveTenantsAsync());

        var table = await Cli("multi-tenant", "users", "list", "--active");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"│\s*alice\s*│\s*local\s*│", table.Out);

        // Alice's socket is gone (her grain lets go of it asynchronously); Bob is still connected.
        CliRun cleanup = null!;
        var deactivated = 0;
        await Eventually(async () =>
        {
            cleanup = await Cli("multi-tenant", "users", "cleanup", "--idle", "0s");
            Assert.True(cleanup.ExitCode == 0, cleanup.ToString());
            deactivated += int.Parse(System.Text.RegularExpressions.Regex.Match(cleanup.Out, @"(\d+) idle tenant\(s\) deactivated").Groups[1].Value);
            return (await ActiveTenantsAsync()).SequenceEqual(["bob"]);
        }, "alice deactivated by cleanup");
        Assert.Equal(1, deactivated);
        Assert.Contains("Deactivating tenants idle for 0s or more on every silo", cleanup.Error); // plain progress lines off a terminal

        var stats = await Cli("multi-tenant", "stats", "--json");
        Assert.Equal(1, UserActivations(stats.Json()));
        Assert.True(stats.Json().GetProperty("silos")[0].GetProperty("activationsCollectedTotal").GetInt64() >= 1);

        // A cleanup with the configured idle timeout (30 min) takes nobody.
        var defaultAge = await Cli("multi-tenant", "users", "cleanup", "--json");
        Assert.True(defaultAge.ExitCode == 0, defaultAge.ToString());
        var result = defaultAge.Json();
        Assert.Equal(0, result.GetProperty("deactivated").GetInt32());
        Assert.Equal(1800, result.GetProperty("perSilo")[0].GetProperty("idleSeconds").GetInt64());
    }

    [Fact]
    public async Task Active_list_is_keyset_paged()
    {
        await using var alice = await ConnectAsync(CliTestSilo.AliceToken, "alice");
        await using var bob = await ConnectAsync(CliTestSilo.BobToken, "bob");
        var first = await Cli("multi-tenant", "users", "list", "--active", "--limit", "1", "--json");
        Assert.Equal("alice", first.Json().GetProperty("tenants")[0].GetProperty("tenantId").GetString());
        Assert.Equal("alice", first.Json().GetProperty("nextAfter").GetString());
        var second = await Cli("multi-tenant", "users", "list", "--active", "--limit", "1", "--after", "alice", "--json");
        Assert.Equal("bob", second.Json().GetProperty("tenants")[0].GetProperty("tenantId").GetString());
        Assert.Equal(JsonValueKind.Null, second.Json().TryGetProperty("nextAfter", out var next) ? next.ValueKind : JsonValueKind.Null);
    }

    [Fact]
    public async Task A_wrong_service_token_exits_2_with_one_clear_line_and_changes_nothing()
    {
        await using var alice = await ConnectAsync(CliTestSilo.AliceToken, "alice");
        var run = await CliRun.RunAsync(null, "--url", _silo.Http.AbsoluteUri, "--token", "wrong-token", "multi-tenant", "users", "cleanup", "--idle", "0s");
        Assert.Equal(ExitCodes.AuthRefused, run.ExitCode);
        Assert.Equal("", run.Out);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("service token was not accepted", line);
        Assert.Equal(["alice"], await ActiveTenantsAsync());

        var none = await CliRun.RunAsync(null, "--url", _silo.Http.AbsoluteUri, "multi-tenant", "stats");
        Assert.Equal(ExitCodes.AuthRefused, none.ExitCode);
        Assert.Contains("OPENCLAW_SERVICE_TOKEN", none.Error);
    }

    [Fact]
    public async Task A_server_that_is_down_exits_5()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var run = await CliRun.RunAsync(null, "--url", $"http://127.0.0.1:{port}", "--token", "x", "multi-tenant", "stats");
        Assert.Equal(ExitCodes.Unavailable, run.ExitCode);
        Assert.StartsWith($"error: Cannot reach http://127.0.0.1:{port}/", run.Error);
    }

    [Fact]
    public async Task Bad_command_lines_exit_1()
    {
        Assert.Equal(ExitCodes.Usage, (await Cli("multi-tenant", "no-such-command")).ExitCode);
        var idle = await Cli("multi-tenant", "users", "cleanup", "--idle", "soon");
        Assert.Equal(ExitCodes.Usage, idle.ExitCode);
        Assert.Contains("--idle must be a duration", idle.Error);
        Assert.Equal(ExitCodes.Usage, (await Cli("multi-tenant", "users", "list", "--active", "--limit", "5000")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await Cli("--url", "ftp://x", "multi-tenant", "stats")).ExitCode);
        Assert.Equal(ExitCodes.Usage, (await Cli("multi-tenant", "tenants", "delete", "alice")).ExitCode); // no --yes
    }

    [Theory]
    [InlineData("users?limit=0", "limit")]
    [InlineData("users?limit=abc", "limit")]
    [InlineData("users?active=false", "active")]
    [InlineData("users/cleanup?idleSeconds=-5", "idleSeconds")]
    [InlineData("users/cleanup?idleSeconds=999999999999", "idleSeconds")]
    public async Task Malformed_cluster_admin_requests_are_400_naming_the_field(string pathAndQuery, string field)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_silo.Http, "admin/v1/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CliTestSilo.ServiceToken);
        using var response = pathAndQuery.StartsWith("users/cleanup", StringComparison.Ordinal)
            ? await http.PostAsync(pathAndQuery, null)
            : await http.GetAsync(pathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("GET", "stats")]
    [InlineData("GET", "users?active=true")]
    [InlineData("POST", "users/cleanup?idleSeconds=0")]
    public async Task Cluster_admin_routes_refuse_requests_without_the_service_token(string method, string path)
    {
        await using var alice = await ConnectAsync(CliTestSilo.AliceToken, "alice");
        using var http = new HttpClient { BaseAddress = new Uri(_silo.Http, "admin/v1/") };
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["alice"], await ActiveTenantsAsync());
    }
}
