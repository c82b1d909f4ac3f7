using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests.Durability;

/// <summary>
/// The real silo executable (<c>dotnet src/Silo/bin/&lt;configuration&gt;/net10.0/openclaw-silo.dll</c>)
/// as a child process on 127.0.0.1: a free port, embedded storage in a data directory the caller
/// owns (so that a restart finds what the killed process stored), and the demo tenant (echo
/// provider) with a fixed strong token. Ready when it has printed its ws URL (after tenant
/// seeding) and answers <c>GET /health</c>. <see cref="Kill"/> is SIGKILL: no shutdown code runs.
/// Disposing kills the process if it still runs; every process is stopped by its own id.
/// </summary>
internal sealed class SiloProcessHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcessHost(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/");

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>A demo-tenant token of 48 random hex characters.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static async Task<SiloProcessHost> StartAsync(string dataDirectory, string demoToken, params string[] extraArguments)
    {
        var silo = LocateSilo();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(silo)!,
        };
        foreach (var argument in new[] { silo, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDirectory, "--demo-token", demoToken }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("OPENCLAW_GLOBAL_CONFIG");
        start.Environment.Remove("OPENCLAW_DEMO_TOKEN");
        start.Environment.Remove("OPENCLAW_DATA_DIR");
        start.Environment.Remove("OPENCLAW_PORT");

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var host = new SiloProcessHost(process, port);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilReadyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>Connects the demo tenant's operator (read, write, admin).</summary>
    public async Task<GatewayTestClient> ConnectAsync(string token)
    {
        var client = new GatewayTestClient();
        try
        {
            await client.ConnectAsync(WebSocketUri);
            await client.ReadChallengeAsync();
            var hello = await client.SendConnectAsync(ConnectRequests.Params(token, ["operator.admin", "operator.read", "operator.write"]));
            Assert.True(hello.GetProperty("ok").GetBoolean(), hello.ToString());
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL (Process.Kill on Linux), then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("OpenClaw gateway: ", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        var exited = _process.WaitForExitAsync(deadline.Token);
        try
        {
            if (await Task.WhenAny(_listening.Task, exited).WaitAsync(deadline.Token) != _listening.Task)
            {
                throw new InvalidOperationException($"the silo exited during startup (code {_process.ExitCode}):\n{Output}");
            }

            while (true)
            {
                try
                {
                    using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"), deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // This one request took longer than the client's timeout (a busy machine): ask again.
                }

                await Task.Delay(50, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the silo was not ready within {StartTimeout.TotalSeconds:0} s:\n{Output}");
        }
    }

    /// <summary><c>src/Silo/bin/&lt;configuration&gt;/net10.0/openclaw-silo.dll</c> of this checkout, built with the tests.</summary>
    private static string LocateSilo()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent?.Name ?? "Release";
        for (var directory = testOutput; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "src", "Silo", "bin", configuration, framework, "openclaw-silo.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"openclaw-silo.dll ({configuration}/{framework}) was not found above {AppContext.BaseDirectory}; build src/Silo first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
