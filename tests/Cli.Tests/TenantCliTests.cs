using System.Text.Json;
using OpenClaw.Cluster.Tests.Infrastructure;

namespace OpenClaw.Cli.Tests;

/// <summary>Tenant, token and archive commands against the admin API of a running silo.</summary>
public sealed class TenantCliTests : IAsyncLifetime
{
    private CliTestSilo _silo = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("openclaw-cli-archive-").FullName;

    public async Task InitializeAsync() => _silo = await CliTestSilo.StartAsync();

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<CliRun> Cli(params string[] args)
    {
        var run = await CliRun.RunAsync(new Dictionary<string, string>
        {
            ["OPENCLAW_SERVICE_TOKEN"] = CliTestSilo.ServiceToken,
            ["OPENCLAW_URL"] = _silo.Http.AbsoluteUri,
        }, ["multi-tenant", .. args]);
        return run;
    }

    private async Task<CliRun> Ok(params string[] args)
    {
        var run = await Cli(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    [Fact]
    public async Task Create_get_and_connect_with_the_issued_token()
    {
        var created = (await Ok("tenants", "create", "carol", "--name", "Carol C", "--plan", "pro", "--issue-token", "--json")).Json();
        Assert.Equal("carol", created.GetProperty("tenant").GetProperty("id").GetString());
        var token = created.GetProperty("token").GetProperty("plaintext").GetString()!;

        var shown = await Ok("tenants", "get", "carol");
        Assert.Contains("Carol C", shown.Out);
        Assert.Contains("pro", shown.Out);
        Assert.DoesNotContain(token, shown.Out);

        await using var socket = await ProtocolClient.ConnectAsync(_silo.WebSocket, token, ["operator.read", "operator.write"]);
    }

    [Fact]
    public async Task Unknown_tenant_exits_3_and_names_it()
    {
        var run = await Cli("tenants", "get", "nobody-here");
        Assert.Equal(ExitCodes.NotFound, run.ExitCode);
        Assert.Contains("nobody-here", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var tokens = await Cli("tokens", "list", "nobody-here");
        Assert.True(tokens.ExitCode == ExitCodes.NotFound, tokens.ToString());
    }

    [Fact]
    public async Task Conflicts_and_invalid_fields_exit_4_naming_the_problem()
    {
        var duplicate = await Cli("tenants", "create", "alice");
        Assert.True(duplicate.ExitCode == ExitCodes.Rejected, duplicate.ToString());
        Assert.Contains("already exists", duplicate.Error);

        var badPlan = await Cli("tenants", "create", "dave", "--plan", "platinum plus!");
        Assert.True(badPlan.ExitCode == ExitCodes.Rejected, badPlan.ToString());
        Assert.Contains("plan", badPlan.Error);
        Assert.Equal(ExitCodes.NotFound, (await Cli("tenants", "get", "dave")).ExitCode);

        Assert.Equal(ExitCodes.Usage, (await Cli("tenants", "config", "set", "alice", "bogus=1")).ExitCode);
    }

    [Fact]
    public async Task Suspend_resume_plan_config_and_filtered_lists()
    {
        Assert.Contains("suspended", (await Ok("tenants", "suspend", "bob")).Out);
        var suspended = (await Ok("users", "list", "--status", "suspended", "--json")).Json();
        Assert.Equal(["bob"], suspended.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Contains("active", (await Ok("tenants", "resume", "bob")).Out);

        Assert.Contains("basic", (await Ok("tenants", "set-plan", "bob", "basic")).Out);
        var byPlan = (await Ok("users", "list", "--plan", "basic", "--json")).Json();
        Assert.Equal(["bob"], byPlan.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetString()));

        var configured = (await Ok("tenants", "config", "set", "bob", "model=echo-2", "agentName=Bobby", "--json")).Json();
        Assert.Equal("echo-2", configured.GetProperty("config").GetProperty("model").GetString());
        Assert.Equal("Bobby", configured.GetProperty("config").GetProperty("agentName").GetString());

        var table = await Ok("users", "list");
        Assert.Contains("alice", table.Out);
        Assert.Contains("bob", table.Out);
    }

    [Fact]
    public async Task Tokens_issue_list_rotate_and_revoke()
    {
        var issued = (await Ok("tokens", "issue", "alice", "--name", "ci", "--expires", "30d", "--json")).Json();
        var id = issued.GetProperty("token").GetProperty("tokenId").GetString()!;
        var list = await Ok("tokens", "list", "alice");
        Assert.Contains("ci", list.Out);
        Assert.Contains(id, list.Out);

        var rotated = (await Ok("tokens", "rotate", "alice", id, "--overlap", "0", "--json")).Json();
        var newId = rotated.GetProperty("token").GetProperty("tokenId").GetString()!;
        Assert.NotEqual(id, newId);

        await Ok("tokens", "revoke", "alice", newId);
        var after = (await Ok("tokens", "list", "alice", "--json")).Json();
        Assert.All(after.GetProperty("tokens").EnumerateArray().Where(t => t.GetProperty("tokenId").GetString() is var t2 && (t2 == id || t2 == newId)),
            t => Assert.False(t.GetProperty("valid").GetBoolean()));
    }

    [Fact]
    public async Task Export_delete_and_import_restore_a_tenant_with_progress_lines()
    {
        var file = Path.Combine(_folder, "alice.zip");
        var export = await Ok("export", "alice", "-o", file);
        Assert.Contains("Exporting alice…", export.Error);
        Assert.Contains($"to {file}", export.Out);
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.True(bytes.Length > 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K', "a zip archive");
        Assert.False(File.Exists(file + ".partial"));

        Assert.Equal(ExitCodes.Usage, (await Cli("tenants", "delete", "alice")).ExitCode);
        await Ok("tenants", "delete", "alice", "--yes");
        Assert.Equal(ExitCodes.NotFound, (await Cli("tenants", "get", "alice")).ExitCode);

        var import = await Ok("import", file, "--json");
        Assert.Contains("Importing alice.zip", import.Error);
        Assert.Equal("alice", import.Json().GetProperty("tenant").GetProperty("id").GetString());
        await Ok("tenants", "get", "alice");

        // The same archive again without --replace: the tenant exists.
        Assert.Equal(ExitCodes.Rejected, (await Cli("import", file)).ExitCode);
        Assert.Equal("replace", (await Ok("import", file, "--replace", "--json")).Json().GetProperty("mode").GetString());

        // Export of an unknown tenant leaves no file behind.
        var missing = Path.Combine(_folder, "nobody.zip");
        Assert.Equal(ExitCodes.NotFound, (await Cli("export", "nobody", "-o", missing)).ExitCode);
        Assert.False(File.Exists(missing));
        Assert.False(File.Exists(missing + ".partial"));
    }
}
