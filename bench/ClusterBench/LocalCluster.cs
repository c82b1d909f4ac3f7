using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace OpenClaw.Bench.Cluster;

/// <summary>A tenant the bench connects as (from the cluster's tenants.json).</summary>
internal sealed record TenantCredentials(string Id, string Token);

/// <summary>
/// A cluster started with <c>scripts/cluster.sh</c> (PostgreSQL, silos, edges, HAProxy) in a
/// folder of its own; restarts go through the same script, and disposing always runs
/// <c>cluster.sh stop</c>.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>Bound on one cluster.sh command (start waits for every process; a silo drains for up to 60 s).</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(6);

    private readonly string _repoRoot;
    private readonly string _folder;

    private LocalCluster(string repoRoot, string folder)
    {
        _repoRoot = repoRoot;
        _folder = folder;
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<TenantCredentials> Tenants { get; private set; } = [];

    public static async Task<LocalCluster> StartAsync(string repoRoot, string workDirectory, int silos, int edges, int extraTenants)
    {
        var cluster = new LocalCluster(repoRoot, Path.Combine(workDirectory, "cluster"));
        try
        {
            await cluster.RunAsync("start", "--silos", silos.ToString(), "--edges", edges.ToString(), "--tenants", extraTenants.ToString(),
                "--port", SiloNode.FreePort().ToString(), "--no-build", "--log-level", "Warning");
            var env = (await cluster.RunAsync("env")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            cluster.Url = new Uri(env["OPENCLAW_CLUSTER_URL"]);
            using var tenants = JsonDocument.Parse(await File.ReadAllTextAsync(env["OPENCLAW_CLUSTER_TENANTS"]));
            cluster.Tenants = [.. tenants.RootElement.GetProperty("tenants").EnumerateArray()
                .Select(t => new TenantCredentials(t.GetProperty("id").GetString()!, t.GetProperty("token").GetString()!))];
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cluster's processes in groups, for <see cref="ProcessCpu"/> (pids read from the folder at each sample).</summary>
    public IReadOnlyList<(string Name, Func<IEnumerable<int>> Pids)> ProcessGroups()
    {
        IEnumerable<int> Numbered(string prefix) => Directory.EnumerateDirectories(_folder, prefix + "-*")
            .SelectMany(d => ProcessCpu.FromPidFile(Path.Combine(d, "pid")));
        var pgDirectory = File.ReadLines(Path.Combine(_folder, "cluster.env"))
            .FirstOrDefault(line => line.StartsWith("PG_DIR=", StringComparison.Ordinal))?["PG_DIR=".Length..] ?? Path.Combine(_folder, "pg");
        return
        [
            ("haproxy", () => ProcessCpu.FromPidFile(Path.Combine(_folder, "haproxy.pid"))),
            ("edges", () => Numbered("edge")),
            ("silos", () => Numbered("silo")),
            ("postgres", () => ProcessCpu.FromPidFile(Path.Combine(pgDirectory, "data/postmaster.pid")).SelectMany(ProcessCpu.WithChildren)),
        ];
    }

    public Task RestartSiloAsync(int index) => RunAsync("restart-silo", index.ToString());

    public Task RestartEdgeAsync(int index) => RunAsync("restart-edge", index.ToString());

    /// <summary>Runs <c>cluster.sh COMMAND … --dir folder</c>; returns its standard output, throws with its error output when it fails.</summary>
    private async Task<string> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _repoRoot };
        start.ArgumentList.Add(Path.Combine(_repoRoot, "scripts/cluster.sh"));
        start.ArgumentList.Add(command);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--dir");
        start.ArgumentList.Add(_folder);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"cluster.sh {command} did not finish within {CommandTimeout}: {errors}");
        }
        process.WaitForExit(); // drains the output readers
        if (process.ExitCode != 0) throw new InvalidOperationException($"cluster.sh {command} failed ({process.ExitCode}):\n{errors}");
        return output.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("stop");
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"  cluster.sh stop: {ex.Message}");
        }
    }
}
