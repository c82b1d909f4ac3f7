using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace OpenClaw.Bench.Cluster;

/// <summary>
/// The one-process default (<c>dotnet openclaw-silo.dll</c>: embedded file storage, in-process
/// edge) on a free loopback port, with the given tenants declared through
/// <c>OPENCLAW_GLOBAL_CONFIG</c>; the comparison point of the end-to-end scenario. Stopped with
/// SIGTERM (killed if it has not exited after <see cref="StopTimeout"/>).
/// </summary>
internal sealed class SingleProcessSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;

    private SingleProcessSilo(Process process, int port)
    {
        _process = process;
        Url = new Uri($"ws://127.0.0.1:{port}");
        Port = port;
    }

    public Uri Url { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public static async Task<SingleProcessSilo> StartAsync(string repoRoot, string workDirectory, IReadOnlyList<TenantCredentials> tenants)
    {
        var folder = Path.Combine(workDirectory, "single");
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "tenants.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { tenants = tenants.Select(t => new { id = t.Id, token = t.Token, provider = "echo" }) }));
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var port = SiloNode.FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            Path.Combine(repoRoot, "src/Silo/bin/Release/net10.0/openclaw-silo.dll"),
            "--port", port.ToString(), "--data-dir", Path.Combine(folder, "data"), "--demo:enabled", "false",
            "--Logging:LogLevel:Default", "Warning",
        }) start.ArgumentList.Add(arg);
        start.Environment["OPENCLAW_GLOBAL_CONFIG"] = config;
        foreach (var name in new[] { "ASPNETCORE_URLS", "OPENCLAW_PORT", "OPENCLAW_DATA_DIR", "OPENCLAW_DEMO_TOKEN" }) start.Environment.Remove(name);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        var log = new StreamWriter(Path.Combine(folder, "silo.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var silo = new SingleProcessSilo(process, port);
        try
        {
            await silo.WaitServingAsync(folder);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return silo;
    }

    private async Task WaitServingAsync(string folder)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the single-process silo exited with {_process.ExitCode}; see {folder}/silo.log");
            try
            {
                using var response = await Http.GetAsync($"http://127.0.0.1:{Port}/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the single-process silo did not serve within {StartTimeout}; see {folder}/silo.log");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill!.WaitForExitAsync();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(StopTimeout);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
