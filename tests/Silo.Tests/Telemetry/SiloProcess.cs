using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.Silo.Tests.Telemetry;

/// <summary>
/// The real silo executable (<c>src/Silo/bin/…/openclaw-silo.dll</c>) in its own process with
/// its console captured, ready once <c>/health/ready</c> answers 200. Stopped by its pid.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TempDirectory _data = new();

    private SiloProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public Uri HttpUri => new($"http://127.0.0.1:{Port}/");
    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static async Task<SiloProcess> StartAsync(IDictionary<string, string> settings)
    {
        var port = FreePort();
        var dll = Locate();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(process, port);
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in new Dictionary<string, string>(settings)
                 {
                     ["server:port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     ["storage:dataDirectory"] = silo._data.Path,
                     ["demo:enabled"] = "false",
                 })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var name in new[] { "ASPNETCORE_URLS", "OPENCLAW_GLOBAL_CONFIG", "OPENCLAW_DEMO_TOKEN", "OPENCLAW_DATA_DIR", "OPENCLAW_PORT", "OTEL_EXPORTER_OTLP_ENDPOINT" })
            start.Environment.Remove(name);

        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitUntilReadyAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    public async Task<GatewayTestClient> ConnectAsync(string token)
    {
        var client = new GatewayTestClient();
        await client.ConnectAsync(WebSocketUri);
        await client.ReadChallengeAsync();
        var hello = await client.SendConnectAsync(ConnectRequests.Params(token, ["operator.admin", "operator.read", "operator.write"]));
        Assert.True(hello.GetProperty("ok").GetBoolean(), hello.ToString());
        return client;
    }

    /// <summary>Stops the process gracefully (SIGTERM, by pid) so it flushes its logs; kills it if it does not exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _process.Dispose();
            _data.Dispose();
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the silo exited during startup (code {_process.ExitCode}):\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(HttpUri, "health/ready"), deadline.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // one slow answer on a busy machine: ask again
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the silo was not ready within {StartTimeout.TotalSeconds:0} s:\n{Output}");
            }
            await Task.Delay(100, CancellationToken.None);
            if (deadline.IsCancellationRequested) throw new TimeoutException($"the silo was not ready within {StartTimeout.TotalSeconds:0} s:\n{Output}");
        }
    }

    private static string Locate()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent?.Name ?? "Release";
        for (var directory = testOutput; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Silo", "bin", configuration, framework, "openclaw-silo.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"openclaw-silo.dll ({configuration}/{framework}) was not found above {AppContext.BaseDirectory}; build src/Silo first.");
    }
}
