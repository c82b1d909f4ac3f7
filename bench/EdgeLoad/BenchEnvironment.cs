using System.Diagnostics;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// The run's scratch folder, a snapshot of the silo build (so a concurrent rebuild of
/// src/Silo cannot change it mid-run), a tag that makes tenant ids unique per run (a reused
/// PostgreSQL database then still has never-activated tenants), and every child process, killed
/// on exit whatever happens.
/// </summary>
internal sealed class BenchEnvironment : IDisposable
{
    private readonly List<Process> _processes = [];

    private BenchEnvironment(BenchOptions options, string repoRoot, string workDirectory, string siloDirectory, string runTag)
    {
        Options = options;
        RepoRoot = repoRoot;
        WorkDirectory = workDirectory;
        SiloDirectory = siloDirectory;
        RunTag = runTag;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public BenchOptions Options { get; }
    public string RepoRoot { get; }
    public string WorkDirectory { get; }
    public string SiloDirectory { get; }
    public string RunTag { get; }

    /// <summary>The demo tenant's token: random and long enough for a production silo (at least 32 characters).</summary>
    public string DemoToken { get; } = "bench-demo-" + Guid.NewGuid().ToString("N");

    public static async Task<BenchEnvironment> CreateAsync(BenchOptions options)
    {
        var repoRoot = FindRepoRoot();
        var built = options.SiloDirectory ?? Path.Combine(repoRoot, "src", "Silo", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(built, "openclaw-silo.dll")))
        {
            if (options.SiloDirectory is not null) throw new FileNotFoundException($"no openclaw-silo.dll in {built}");
            Console.WriteLine("  silo not built; running: dotnet build src/Silo -c Release");
            await RunAsync("dotnet", ["build", Path.Combine(repoRoot, "src", "Silo"), "-c", "Release", "--nologo", "-v", "q"], TimeSpan.FromMinutes(10));
        }

        var runTag = Guid.NewGuid().ToString("N")[..8];
        var work = Path.Combine(Path.GetTempPath(), "openclaw-edgeload-" + runTag);
        var silo = Path.Combine(work, "silo-bin");
        CopyDirectory(built, silo);
        return new BenchEnvironment(options, repoRoot, work, silo, runTag);
    }

    public void Track(Process process)
    {
        lock (_processes) _processes.Add(process);
    }

    /// <summary><paramref name="count"/> tenants named <c>{prefix}-{run tag}-{i}</c>, each with its own token.</summary>
    public IReadOnlyList<BenchTenant> Tenants(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new BenchTenant($"{prefix}-{RunTag}-{i}", $"tok-{prefix}-{RunTag}-{i}-{Guid.NewGuid():N}"))];

    public void Dispose()
    {
        KillAll();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"  could not delete {WorkDirectory}: {ex.Message}");
        }
    }

    private void KillAll()
    {
        lock (_processes)
        {
            foreach (var process in _processes)
            {
                try
                {
                    if (!process.HasExited) process.Kill(entireProcessTree: true);
                }
                catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // already gone
                }
            }
        }
    }

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "OpenClaw.Orleans.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("run from inside the repository (OpenClaw.Orleans.sln not found)");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
    }

    private static async Task RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with exit code {process.ExitCode}");
    }
}
