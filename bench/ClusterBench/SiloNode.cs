using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenClaw.Bench.Cluster;

/// <summary>A silo process of the benchmark's cluster (cluster mode, no in-process edge), output to a log file.</summary>
internal sealed class SiloNode : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;

    private SiloNode(Process process, int httpPort, int clusterPort)
    {
        _process = process;
        HttpPort = httpPort;
        ClusterPort = clusterPort;
    }

    public int HttpPort { get; }

    public int ClusterPort { get; }

    public int Pid => _process.Id;

    public static async Task<SiloNode> StartAsync(string repoRoot, string workDirectory, string postgres, IEnumerable<string> extraArgs)
    {
        var httpPort = FreePort();
        var clusterPort = FreePort();
        var folder = Path.Combine(workDirectory, $"silo-{clusterPort}");
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            Path.Combine(repoRoot, "src/Silo/bin/Release/net10.0/openclaw-silo.dll"),
            "--port", httpPort.ToString(), "--storage", "postgres", "--postgres", postgres,
            "--cluster:enabled", "true", "--cluster:siloPort", clusterPort.ToString(), "--cluster:advertisedHost", "127.0.0.1",
            "--edge:enabled", "false", "--demo:enabled", "false", "--Logging:LogLevel:Default", "Warning",
        }.Concat(extraArgs)) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a silo");
        var log = new StreamWriter(Path.Combine(folder, "silo.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new SiloNode(process, httpPort, clusterPort);
        await node.WaitServingAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    public async Task WaitServingAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"silo {ClusterPort} exited with {_process.ExitCode}");
            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{HttpPort}/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"silo {ClusterPort} did not serve within {timeout}");
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
