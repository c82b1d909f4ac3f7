using Npgsql;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test class's own (xunit class fixture): initdb into a temporary folder,
/// 127.0.0.1 only on a free port, trust authentication, fsync off. The tests can stop it (fast or
/// immediate) and start it again on the same port with the same data. As root it runs as the
/// <c>postgres</c> user (PostgreSQL refuses root). Always stopped and deleted on dispose.
/// </summary>
public sealed class PrivatePostgres : IAsyncLifetime
{
    private const string Superuser = "postgres";
    private const string Database = "openclaw_cluster";
    private const int StartAttempts = 5;

    /// <summary>Three silos' connection pools (directory, storage, tenants) plus clients and the test's own queries.</summary>
    private const int MaxConnections = 300;

    private readonly string _bin = PostgresBinaries.Directory();
    private readonly string? _runAs = GetEffectiveUserId() == 0 ? Superuser : null;
    private string _folder = "";

    public int Port { get; private set; }

    public bool IsRunning { get; private set; }

    /// <summary>For silos: pooled, with a bounded pool per data source so three silos fit into <see cref="MaxConnections"/>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={Database};Maximum Pool Size=30";

    /// <summary>For the test's own queries: unpooled, so a restarted server leaves no broken pooled connection behind.</summary>
    public string QueryConnectionString => $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={Database};Pooling=false;Timeout=10";

    private string DataDirectory => Path.Combine(_folder, "data");

    private string LogFile => Path.Combine(_folder, "postgres.log");

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("openclaw-ctest-pg-").FullName;
        if (_runAs is not null) await ExternalCommand.RunAsync("chown", [$"{_runAs}:", _folder], ClusterTestTimeouts.PostgresCommand);
        await PgAsync("initdb", ["-D", DataDirectory, "-U", Superuser, "-E", "UTF8", "--no-locale", "--auth-local=trust", "--auth-host=trust"]);
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            # OpenClaw cluster tests: a throwaway server, speed over durability.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{_folder}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = {MaxConnections}

            """);

        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"port = {Port}\n");
            try
            {
                await StartAsync();
                break;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts)
            {
                // The port was taken between choosing and binding it: try another one.
            }
        }

        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username={Superuser};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Starts the server (again) on its port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        await PgAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"]);
        IsRunning = true;
    }

    /// <summary><c>pg_ctl stop</c>: <c>fast</c> disconnects clients and shuts down cleanly, <c>immediate</c> is a crash.</summary>
    public async Task StopAsync(string mode = "fast")
    {
        await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", mode, "-w", "-t", "60", "stop"]);
        IsRunning = false;
    }

    /// <summary>The server's log (for failure messages).</summary>
    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public async Task DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))) await StopAsync("immediate");
        }
        finally
        {
            if (_folder.Length > 0 && Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private Task<string> PgAsync(string tool, IEnumerable<string> arguments) =>
        ExternalCommand.RunAsync(Path.Combine(_bin, tool), arguments, ClusterTestTimeouts.PostgresCommand, _runAs);
}
