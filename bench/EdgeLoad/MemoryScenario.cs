namespace OpenClaw.Bench.EdgeLoad;

/// <summary>
/// Scenario 3: memory per idle connection and per active tenant, from the silo's resident set
/// (VmRSS; the silo exposes no heap figures). Each round uses a fresh silo: warm it up on the
/// demo tenant, read RSS, open N idle connections across M tenants (which activates those M),
/// read RSS, then activate K other tenants (connect, one health, close), read RSS.
/// Per connection = (RSS₁ − RSS₀ − M × per-tenant) / N; per tenant = (RSS₂ − RSS₁) / K.
/// The silo runs server GC, so garbage not yet collected is included: upper bounds, noisy.
/// </summary>
internal static class MemoryScenario
{
    private const string Name = "memory";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(BenchEnvironment env, Report report, CancellationToken ct)
    {
        var options = env.Options;
        int n = options.MemoryConnections, m = options.MemoryConnectionTenants, k = options.MemoryTenants;
        Console.WriteLine($"\n# 3. Memory — {options.MemoryRounds} rounds (fresh silo each): {n} idle connections across {m} tenants, then {k} more tenants activated; {options.StorageName}");
        List<double> perConnection = [], perTenant = [], baseline = [];
        for (var round = 0; round < options.MemoryRounds; round++)
        {
            var connectionTenants = env.Tenants($"memc{round}", m);
            var activeTenants = env.Tenants($"mema{round}", k);
            var warmupTenants = env.Tenants($"memw{round}", 20);
            string[] extra = m + k + 50 > 1000 ? ["--multiTenant:maxCachedUsers", (m + k + 50).ToString()] : [];
            await using var silo = await SiloProcess.StartAsync(env, $"{Name}{round}", [.. connectionTenants, .. activeTenants, .. warmupTenants], extra, ct);
            var uri = silo.WebSocketUri;

            // Warm-up: connections, health and tenant activation run once before the baseline.
            await LoadHelpers.ActivateAsync(uri, Enumerable.Repeat(new BenchTenant("demo", env.DemoToken), 50), Name, ct);
            await LoadHelpers.ActivateAsync(uri, warmupTenants, Name, ct);
            var (rss0, act0) = await SettleAsync(silo, ct);

            var clients = await LoadHelpers.OpenAsync(uri, Enumerable.Range(0, n).Select(i => connectionTenants[i % m]), Name, null, ct);
            try
            {
                var (rss1, act1) = await SettleAsync(silo, ct);
                var activated = await LoadHelpers.ActivateAsync(uri, activeTenants, Name, ct);
                var (rss2, act2) = await SettleAsync(silo, ct);
                var tenantBytes = (double)(rss2 - rss1) / Math.Max(1, act2 - act1);
                var connectionBytes = (rss1 - rss0 - (act1 - act0) * tenantBytes) / Math.Max(1, clients.Count);
                perTenant.Add(tenantBytes);
                perConnection.Add(connectionBytes);
                baseline.Add(rss0);
                Console.WriteLine($"  round {round + 1}: RSS baseline {Stats.Bytes(rss0)} ({act0} activations) → {clients.Count} idle connections {Stats.Bytes(rss1)} ({act1}) " +
                    $"→ +{activated} tenants activated {Stats.Bytes(rss2)} ({act2}) ⇒ {Stats.Bytes(connectionBytes)}/connection, {Stats.Bytes(tenantBytes)}/active tenant");
                var lost = clients.Count(c => c.IsClosed);
                if (lost > 0) Observations.Global.Anomaly(Name, "idle connections closed by the gateway during the memory round", $"{lost} of {clients.Count}");
            }
            finally
            {
                await LoadHelpers.CloseAllAsync(clients);
            }
        }
        report.Add(Name, "silo RSS after warm-up (baseline)", baseline, Stats.Bytes);
        report.Add(Name, $"RSS per idle connection ({n} across {m} tenants)", perConnection, Stats.Bytes);
        report.Add(Name, $"RSS per active tenant ({k} activated)", perTenant, Stats.Bytes);
    }

    /// <summary>Waits for the silo to settle, then the median of three RSS readings and the activation count.</summary>
    private static async Task<(long Rss, int Activations)> SettleAsync(SiloProcess silo, CancellationToken ct)
    {
        await Task.Delay(Settle, ct);
        var readings = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            readings.Add(silo.ResidentBytes());
            await Task.Delay(300, ct);
        }
        return ((long)Stats.Median(readings), await silo.HealthAsync(ct));
    }
}
