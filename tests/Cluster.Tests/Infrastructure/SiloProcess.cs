using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// One real silo process (<c>dotnet openclaw-silo.dll …</c>) with its own folder (working and data
/// directory) and a log file of everything it printed. Signals go to its process id: SIGKILL,
/// SIGTERM (graceful drain), SIGSTOP/SIGCONT (freeze). Disposing kills it if it still runs.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;
    private readonly StreamWriter _log;

    private SiloProcess(string name, string folder, Process process, StreamWriter log, int httpPort, int siloPort)
    {
        Name = name;
        Folder = folder;
        _process = process;
        _log = log;
        HttpPort = httpPort;
        SiloPort = siloPort;
        Pid = process.Id;
    }

    public string Name { get; }

    public string Folder { get; }

    public int Pid { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    /// <summary>The cluster endpoint, as <c>client:preferredGateway</c> takes it.</summary>
    public string Endpoint => $"127.0.0.1:{SiloPort}";

    /// <summary>The silo address (<c>host:port@generation</c>) its /health named once it served.</summary>
    public string Address { get; private set; } = "";

    public string LogPath => Path.Combine(Folder, "silo.log");

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the process (not waiting for it to serve). <paramref name="arguments"/> follow the dll path.</summary>
    public static SiloProcess Start(string name, string folder, int httpPort, int siloPort, IEnumerable<string> arguments)
    {
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuiltExecutables.SiloDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "OPENCLAW_GLOBAL_CONFIG", "OPENCLAW_DEMO_TOKEN", "OPENCLAW_DATA_DIR", "OPENCLAW_PORT", "OPENCLAW_SERVICE_TOKEN" })
            start.Environment.Remove(inherited);

        var log = new StreamWriter(Path.Combine(folder, "silo.log")) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start silo {name}");
        void Write(string? line)
        {
            if (line is null) return;
            lock (log) log.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SiloProcess(name, folder, process, log, httpPort, siloPort);
    }

    /// <summary>Polls /health until it answers 200 (serving); remembers the silo address it names.</summary>
    public async Task WaitServingAsync(TimeSpan deadline)
    {
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited) throw new Xunit.Sdk.XunitException($"silo {Name} exited with {_process.ExitCode} before serving:\n{LogTail(40)}");
            return await IsServingAsync();
        }, deadline, $"silo {Name} (http {HttpPort}, cluster {SiloPort}) serving");
    }

    /// <summary>True when /health answers 200 now.</summary>
    public async Task<bool> IsServingAsync()
    {
        try
        {
            using var response = await Http.GetAsync($"http://127.0.0.1:{HttpPort}/health");
            if (response.StatusCode != HttpStatusCode.OK) return false;
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (body.RootElement.TryGetProperty("silo", out var silo) && silo.GetString() is { Length: > 0 } address) Address = address;
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: nothing of the silo's shutdown runs.</summary>
    public void Kill() => ProcessSignals.Send(Pid, ProcessSignals.SigKill);

    /// <summary>SIGTERM: the graceful drain.</summary>
    public void Terminate() => ProcessSignals.Send(Pid, ProcessSignals.SigTerm);

    /// <summary>SIGSTOP: the process stops running (its sockets stay open) until <see cref="Resume"/>.</summary>
    public void Freeze() => ProcessSignals.Send(Pid, ProcessSignals.SigStop);

    public void Resume() => ProcessSignals.Send(Pid, ProcessSignals.SigCont);

    /// <summary>Waits for the process to end; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"silo {Name} did not exit within {deadline.TotalSeconds:0} s:\n{LogTail(40)}");
        }
        _process.WaitForExit(); // the output readers are drained
        return _process.ExitCode;
    }

    /// <summary>The last lines the process printed.</summary>
    public string LogTail(int lines)
    {
        lock (_log)
        {
            using var reader = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            var all = text.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // SIGKILL also ends a stopped (frozen) process
            await _process.WaitForExitAsync().WaitAsync(ClusterTestTimeouts.KilledExit);
        }
        _process.WaitForExit();
        lock (_log) _log.Dispose();
        _process.Dispose();
    }
}
