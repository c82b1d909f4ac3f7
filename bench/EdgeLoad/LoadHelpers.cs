using System.Diagnostics;
using System.Globalization;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>Opening and closing many connections with bounded parallelism; CPU time of the silo and of this process.</summary>
internal static class LoadHelpers
{
    public const int ConnectParallelism = 16;

    /// <summary>Opens one connection per entry (tenants may repeat). Failures are recorded and skipped.</summary>
    public static async Task<List<GatewayClient>> OpenAsync(Uri uri, IEnumerable<BenchTenant> tenants, string scenario,
        GatewayEventHandler? onEvent, CancellationToken cancellationToken)
    {
        var clients = new List<GatewayClient>();
        var failures = 0;
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
            async (tenant, ct) =>
            {
                try
                {
                    var client = await GatewayClient.ConnectAsync(uri, tenant.Id, tenant.Token, scenario, onEvent, ct);
                    lock (clients) clients.Add(client);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                    Observations.Global.Anomaly(scenario, $"connect failed: {ex.GetType().Name}", ex.Message);
                }
            });
        if (failures > 0) Console.WriteLine($"  {failures} connect(s) failed (see anomalies)");
        return clients;
    }

    public static async Task CloseAllAsync(IEnumerable<GatewayClient> clients) =>
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (c, _) => await c.DisposeAsync());

    /// <summary>Connects, sends one <c>health</c> (activating the tenant's grain) and closes, for every tenant.</summary>
    public static async Task<int> ActivateAsync(Uri uri, IEnumerable<BenchTenant> tenants, string scenario, CancellationToken cancellationToken)
    {
        var activated = 0;
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
            async (tenant, ct) =>
            {
                try
                {
                    await using var client = await GatewayClient.ConnectAsync(uri, tenant.Id, tenant.Token, scenario, null, ct);
                    if ((await client.RequestAsync("health").WaitAsync(TimeSpan.FromSeconds(30), ct)).Ok) Interlocked.Increment(ref activated);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Observations.Global.Anomaly(scenario, $"activation connect/health failed: {ex.GetType().Name}", ex.Message);
                }
            });
        return activated;
    }

    /// <summary>User+system CPU seconds of a process, from /proc/&lt;pid&gt;/stat (clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public static double OwnCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>Busy CPU seconds of the whole machine (all cores), from the first line of /proc/stat.</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal [guest guest_nice — already counted in user/nice]
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / 100.0;
    }

    /// <summary>The 1-minute load average: how crowded the shared machine was.</summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>CPU cores used by the silo, by this client and by everything else on the machine over a measured interval.</summary>
    public readonly struct CpuMeter(int siloPid)
    {
        private readonly double _silo = CpuSeconds(siloPid);
        private readonly double _own = OwnCpuSeconds();
        private readonly double _machine = MachineBusySeconds();
        private readonly long _started = Stopwatch.GetTimestamp();

        public (double Silo, double Client, double Others) Cores()
        {
            var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            var silo = (CpuSeconds(siloPid) - _silo) / seconds;
            var client = (OwnCpuSeconds() - _own) / seconds;
            var machine = (MachineBusySeconds() - _machine) / seconds;
            return (silo, client, Math.Max(0, machine - silo - client));
        }
    }
}
