using System.Globalization;
using Xunit.Abstractions;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// One test's cluster: a cluster id of its own on the class's PostgreSQL, silo processes (each with
/// its own folder under the test's temporary folder) and in-process clients. Disposing stops every
/// client, kills every process it started that still runs (by its id), writes the end of each silo's
/// log to the test output (shown when the test fails) and deletes the folder.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private const int LogLinesPerSilo = 80;

    private readonly PrivatePostgres _postgres;
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("openclaw-ctest-").FullName;
    private readonly List<SiloProcess> _silos = [];
    private readonly List<TestClusterClient> _clients = [];

    public TestCluster(PrivatePostgres postgres, ITestOutputHelper output, IReadOnlyList<TestTenant>? tenants = null)
    {
        _postgres = postgres;
        _output = output;
        Tenants = tenants ?? [];
        Database = new ClusterDatabase(() => postgres.QueryConnectionString, ClusterId);
    }

    public string ClusterId { get; } = "ctest-" + Guid.NewGuid().ToString("N")[..10];

    public IReadOnlyList<TestTenant> Tenants { get; }

    /// <summary>More command-line settings for every silo (for example the config sync's backend).</summary>
    public IReadOnlyList<string> ExtraSiloArguments { get; init; } = [];

    public ClusterDatabase Database { get; }

    public PrivatePostgres Postgres => _postgres;

    /// <summary>Every silo process this test started, in start order (also those that exited).</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>Starts a silo and waits until it serves.</summary>
    public async Task<SiloProcess> StartSiloAsync()
    {
        var httpPort = FreePort.Next();
        var siloPort = FreePort.Next();
        var name = $"silo{_silos.Count + 1}";
        var silo = SiloProcess.Start(name, Path.Combine(_folder, name), httpPort, siloPort, SiloArguments(httpPort, siloPort, Path.Combine(_folder, name)));
        _silos.Add(silo);
        await silo.WaitServingAsync(ClusterTestTimeouts.SiloServing);
        return silo;
    }

    /// <summary>Starts <paramref name="count"/> silos one after the other (the first creates the schema and the tenants).</summary>
    public async Task<IReadOnlyList<SiloProcess>> StartSilosAsync(int count)
    {
        var started = new List<SiloProcess>();
        for (var i = 0; i < count; i++) started.Add(await StartSiloAsync());
        return started;
    }

    public async Task<TestClusterClient> StartClientAsync(string? preferredGateway = null)
    {
        var client = await TestClusterClient.StartAsync(ClusterId, _postgres.ConnectionString, preferredGateway);
        _clients.Add(client);
        return client;
    }

    /// <summary>The silo whose address is <paramref name="address"/> (<c>host:port@generation</c>, as Where() and the audit name it).</summary>
    public SiloProcess SiloAt(string address) =>
        _silos.Single(s => s.Address == address);

    private IEnumerable<string> SiloArguments(int httpPort, int siloPort, string folder)
    {
        string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        List<string> arguments =
        [
            "--port", Text(httpPort), "--data-dir", folder,
            "--storage", "postgres", "--postgres", _postgres.ConnectionString,
            "--cluster:enabled", "true", "--cluster:siloPort", Text(siloPort), "--cluster:advertisedHost", "127.0.0.1",
            "--cluster:clusterId", ClusterId, "--cluster:activationAudit", "true",
            "--edge:enabled", "false", "--demo:enabled", "false",
            "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:OpenClaw", "Information",
        ];
        for (var i = 0; i < Tenants.Count; i++)
        {
            arguments.AddRange([$"--tenants:{i}:id", Tenants[i].Id, $"--tenants:{i}:token", Tenants[i].Token, $"--tenants:{i}:provider", "echo"]);
        }
        arguments.AddRange(ExtraSiloArguments);
        return arguments;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.DisposeAsync();
            }
            catch (Exception ex)
            {
                _output.WriteLine($"stopping a cluster client failed: {ex.Message}");
            }
        }
        foreach (var silo in _silos) await silo.DisposeAsync();
        foreach (var silo in _silos)
        {
            _output.WriteLine($"----- {silo.Name} (pid {silo.Pid}, {silo.Address}): last {LogLinesPerSilo} lines of {silo.LogPath}");
            _output.WriteLine(silo.LogTail(LogLinesPerSilo));
        }
        Directory.Delete(_folder, recursive: true);
    }
}
