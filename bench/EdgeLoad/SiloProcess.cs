using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>A tenant the silo seeds from its config file.</summary>
internal sealed record BenchTenant(string Id, string Token);

/// <summary>
/// The real silo (<c>dotnet openclaw-silo.dll</c>) as a child process on 127.0.0.1: a free port,
/// its own data folder, the tenants in a JSON file named by <c>OPENCLAW_GLOBAL_CONFIG</c>, extra
/// configuration switches. Ready once it prints its ws URL (after tenant seeding). Its output goes
/// to a log file; its warning/error lines are counted as gateway anomalies. Stopped with SIGTERM,
/// killed if it does not exit in time.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _scenario;
    private readonly bool _verbose;
    private string? _levelLine;
    private bool _logClosed;

    private SiloProcess(Process process, StreamWriter log, int port, string scenario, bool verbose)
    {
        _process = process;
        _log = log;
        Port = port;
        _scenario = scenario;
        _verbose = verbose;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri WebSocketUri { get; private set; } = null!;

    /// <param name="environment">Extra environment variables of the silo process (e.g. GC settings).</param>
    public static async Task<SiloProcess> StartAsync(BenchEnvironment env, string name, IReadOnlyList<BenchTenant> tenants,
        IEnumerable<string> extraArgs, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = Path.Combine(env.WorkDirectory, name);
        Directory.CreateDirectory(folder);
        var configFile = Path.Combine(folder, "tenants.json");
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(new
        {
            tenants = tenants.Select(t => new { id = t.Id, token = t.Token }),
        }), cancellationToken);

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var arg in SiloArguments(env, folder, port).Concat(extraArgs)) start.ArgumentList.Add(arg);
        start.Environment["OPENCLAW_GLOBAL_CONFIG"] = configFile;
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        Console.WriteLine($"  starting silo '{name}' ({tenants.Count} seeded tenants): {string.Join(' ', start.ArgumentList.Select(Redact))}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        env.Track(process);
        var silo = new SiloProcess(process, new StreamWriter(Path.Combine(folder, "silo.log")) { AutoFlush = true }, port, name, env.Options.Verbose);
        process.OutputDataReceived += (_, e) => silo.OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => silo.OnOutput(e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = Stopwatch.GetTimestamp();
        try
        {
            var exited = process.WaitForExitAsync(cancellationToken);
            var first = await Task.WhenAny(silo._ready.Task, exited).WaitAsync(StartTimeout, cancellationToken);
            if (first != silo._ready.Task)
                throw new InvalidOperationException($"silo '{name}' exited with code {process.ExitCode} during startup; see {folder}/silo.log");
            silo.WebSocketUri = silo._ready.Task.Result;
            await silo.HealthAsync(cancellationToken);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        Console.WriteLine($"  silo '{name}' ready at {silo.WebSocketUri} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s (pid {process.Id})");
        return silo;
    }

    private static IEnumerable<string> SiloArguments(BenchEnvironment env, string folder, int port)
    {
        yield return Path.Combine(env.SiloDirectory, "openclaw-silo.dll");
        yield return "--port";
        yield return port.ToString(CultureInfo.InvariantCulture);
        yield return "--data-dir";
        yield return Path.Combine(folder, "data");
        yield return "--demo-token";
        yield return env.DemoToken;
        // Console logging of every activation would cost the gateway CPU; warnings and errors stay on.
        yield return "--Logging:LogLevel:Default";
        yield return "Warning";
        if (env.Options.Postgres is { } connectionString)
        {
            yield return "--storage";
            yield return "postgres";
            yield return "--postgres";
            yield return connectionString;
        }
    }

    private static string Redact(string arg) => arg.Contains("Password=", StringComparison.OrdinalIgnoreCase) ? "<connection string>" : arg;

    private void OnOutput(string? line, bool isError)
    {
        if (line is null) return;
        lock (_log)
            if (!_logClosed) OnLine(line, isError);
    }

    private void OnLine(string line, bool isError)
    {
        _log.WriteLine(line);
        if (_verbose) Console.WriteLine($"    [silo {_scenario}] {line}");
        if (!_ready.Task.IsCompleted && line.StartsWith("OpenClaw gateway: ", StringComparison.Ordinal))
            _ready.TrySetResult(new Uri(line["OpenClaw gateway: ".Length..].Trim()));
        // The console logger writes "warn: Category[id]" and the message on the next line(s).
        if (_levelLine is { } level)
        {
            _levelLine = null;
            Observations.Global.Anomaly(_scenario, "silo log " + level, line.Trim());
        }
        else if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            _levelLine = line;
        }
        else if (isError)
        {
            Observations.Global.Anomaly(_scenario, "silo stderr", line);
        }
    }

    /// <summary>The silo's <c>/health</c>: its live activation count.</summary>
    public async Task<int> HealthAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"http://127.0.0.1:{Port}/health", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return doc.RootElement.GetProperty("activations").GetInt32();
    }

    /// <summary>Resident set size of the silo process (VmRSS), in bytes.</summary>
    public long ResidentBytes() => ProcStatusBytes("VmRSS:");

    /// <summary>The highest resident set size the silo process has had (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => ProcStatusBytes("VmHWM:");

    public bool HasExited => _process.HasExited;

    private long ProcStatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"{field} not found");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15); // SIGTERM: graceful host shutdown
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Observations.Global.Anomaly(_scenario, $"silo did not stop within {StopTimeout.TotalSeconds:0} s of SIGTERM (killed)");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        lock (_log)
        {
            _logClosed = true;
            _log.Dispose();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
