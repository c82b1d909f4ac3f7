using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Scenarios;

/// <summary>
/// The admin API on a standalone edge process (not a silo): with the service token from
/// <c>OPENCLAW_SERVICE_TOKEN</c>, an operator creates a tenant with a token through the edge, and a
/// client connects with that token through the same edge and chats with the tenant on the silo;
/// without the token the edge's admin API refuses and creates nothing.
/// </summary>
public sealed class AdminApiThroughEdgeTests(PrivatePostgres postgres, ITestOutputHelper output) : IClassFixture<PrivatePostgres>
{
    [Fact]
    public async Task A_tenant_created_through_an_edge_connects_with_its_token_through_that_edge()
    {
        await using var cluster = new TestCluster(postgres, output);
        await cluster.StartSiloAsync();
        var serviceToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var edge = await EdgeProcess.StartAsync(cluster, postgres.ConnectionString, serviceToken, output);
        using var admin = new HttpClient { BaseAddress = edge.HttpUri };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", serviceToken);
        using var anonymous = new HttpClient { BaseAddress = edge.HttpUri };

        using var refused = await anonymous.PostAsJsonAsync("/admin/v1/tenants", new { id = "edge-tenant", plan = "free" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var created = await admin.PostAsJsonAsync("/admin/v1/tenants", new
        {
            id = "edge-tenant",
            displayName = "Created through an edge",
            plan = "pro",
            config = new { provider = "echo", model = "echo-1" },
            token = new { name = "edge-test" },
        });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var token = body.GetProperty("token").GetProperty("plaintext").GetString()!;

        var fetched = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/tenants/edge-tenant");
        Assert.Equal("pro", fetched.GetProperty("plan").GetString());
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/admin/v1/tenants", out _));

        // The edge caches unknown tokens briefly; the connect is retried until the deadline, never slept on.
        ProtocolClient? client = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                client = await ProtocolClient.ConnectAsync(edge.WebSocketUri, token, ["operator.read", "operator.write"]);
                return true;
            }
            catch (ConnectRefusedException)
            {
                return false;
            }
        }, ClusterTestTimeouts.ClientReady, "a connect with the new tenant's token through the edge");
        await using (client)
        {
            var sent = await client!.RequestAsync("chat.send", new JsonObject
            {
                ["sessionKey"] = "agent:main:main", ["message"] = "hello through the edge", ["idempotencyKey"] = Guid.NewGuid().ToString("N"),
            }).WaitAsync(ClusterTestTimeouts.ChatTurn);
            Assert.True(ProtocolClient.IsOk(sent), sent.ToString());
            var runId = sent.GetProperty("payload").GetProperty("runId").GetString();
            var waited = await client.RequestAsync("agent.wait", new JsonObject { ["runId"] = runId, ["timeoutMs"] = 30_000 }).WaitAsync(ClusterTestTimeouts.ChatTurn);
            Assert.Equal("ok", waited.GetProperty("payload").GetProperty("status").GetString());
            var history = await client.RequestAsync("chat.history", new JsonObject { ["sessionKey"] = "agent:main:main" }).WaitAsync(ClusterTestTimeouts.ChatTurn);
            Assert.Contains("hello through the edge", history.ToString());
        }
    }

    /// <summary>A standalone edge process (<c>dotnet openclaw-edge.dll</c>) joined to the test's cluster; killed on dispose.</summary>
    private sealed class EdgeProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _log;
        private readonly ITestOutputHelper _output;

        private EdgeProcess(Process process, int port, string log, ITestOutputHelper output)
        {
            _process = process;
            _log = log;
            _output = output;
            HttpUri = new Uri($"http://127.0.0.1:{port}/");
        }

        public Uri HttpUri { get; }

        public Uri WebSocketUri => new($"ws://{HttpUri.Authority}/");

        public static async Task<EdgeProcess> StartAsync(TestCluster cluster, string connectionString, string serviceToken, ITestOutputHelper output)
        {
            var port = FreePort.Next();
            var folder = Directory.CreateTempSubdirectory("openclaw-edge-").FullName;
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(EdgeDll());
            foreach (var argument in new[]
            {
                "--port", port.ToString(CultureInfo.InvariantCulture), "--host", "127.0.0.1", "--postgres", connectionString,
                "--cluster:clusterId", cluster.ClusterId, "--Logging:LogLevel:Default", "Warning",
            }) start.ArgumentList.Add(argument);
            start.Environment["DOTNET_NOLOGO"] = "1";
            foreach (var inherited in new[] { "ASPNETCORE_URLS", "OPENCLAW_GLOBAL_CONFIG", "OPENCLAW_PORT" }) start.Environment.Remove(inherited);
            start.Environment["OPENCLAW_SERVICE_TOKEN"] = serviceToken;
            var log = Path.Combine(folder, "edge.log");
            var writer = new StreamWriter(log) { AutoFlush = true };
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the edge");
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var edge = new EdgeProcess(process, port, log, output);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.TrueAsync(async () =>
            {
                if (process.HasExited) throw new Xunit.Sdk.XunitException($"the edge exited with {process.ExitCode}:\n{edge.LogTail()}");
                try
                {
                    return (await http.GetAsync(new Uri(edge.HttpUri, "/health"))).IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, ClusterTestTimeouts.SiloServing, "the edge serving /health");
            return edge;
        }

        /// <summary>The edge's dll of this build configuration, next to the silo's (both are built with the solution).</summary>
        private static string EdgeDll()
        {
            var silo = BuiltExecutables.SiloDll;
            var framework = Path.GetDirectoryName(silo)!;
            var configuration = Path.GetDirectoryName(framework)!;
            var src = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(configuration)!)!)!;
            var edge = Path.Combine(src, "EdgeGateway", "bin", Path.GetFileName(configuration), Path.GetFileName(framework), "openclaw-edge.dll");
            if (!File.Exists(edge)) throw new FileNotFoundException($"{edge} does not exist: build the solution first.", edge);
            return edge;
        }

        private string LogTail() => File.Exists(_log) ? string.Join('\n', File.ReadLines(_log).TakeLast(40)) : "";

        public ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
            _output.WriteLine($"--- end of the edge's log:\n{LogTail()}");
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
