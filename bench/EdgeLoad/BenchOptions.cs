using System.Globalization;

namespace OpenClaw.Bench.EdgeLoad;

/// <summary>Command-line options. Defaults finish the whole run in about three minutes on 2 cores.</summary>
internal sealed class BenchOptions
{
    public string Scenarios { get; private set; } = "all";
    public int Rounds { get; private set; } = 5;
    public double DurationSeconds { get; private set; } = 5;
    public int Tenants { get; private set; } = 50;
    public int Connections { get; private set; } = 4;
    public int InFlight { get; private set; } = 32;
    public int ChatTenants { get; private set; } = 100;
    public int DormantSamples { get; private set; } = 100;
    public int MemoryTenants { get; private set; } = 500;
    public int MemoryConnections { get; private set; } = 2000;
    public int MemoryConnectionTenants { get; private set; } = 20;
    public int MemoryRounds { get; private set; } = 3;
    public string? Postgres { get; private set; }
    public string? SiloDirectory { get; private set; }
    public bool Verbose { get; private set; }

    public static readonly string Usage = """
        usage: openclaw-edgeload [all|dormant|warm|memory|chat|events|instrumentation][,...] [options]
          (events, the event volume of one 100,000-character echo run, runs only when named;
           instrumentation, warm health against a silo with telemetry off and one with it on, only when named)
          --rounds N             rounds per scenario, medians reported (5)
          --duration S           seconds per throughput round (5)
          --tenants N            tenants for warm health (50)
          --connections N        connections per tenant for warm health (4)
          --inflight N           pipelined requests per connection (32)
          --chat-tenants N       tenants running chats in parallel, one connection each (100)
          --samples N            dormant connects per round (100)
          --memory-tenants K     tenants activated (connect, health, close) in the memory scenario (500)
          --memory-connections N idle connections opened in the memory scenario (2000)
          --memory-conn-tenants M tenants those idle connections are spread over (20)
          --memory-rounds N      memory rounds, a fresh silo each (3)
          --postgres CS          run the silo with PostgreSQL state (else embedded file storage)
          --silo DIR             folder holding openclaw-silo.dll (default src/Silo/bin/Release/net10.0)
          --verbose              echo the silo's output
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            int NextInt(int min) => int.Parse(Next(), CultureInfo.InvariantCulture) is var v && v >= min ? v : throw new ArgumentException($"{arg} must be ≥ {min}");
            switch (arg)
            {
                case "--rounds": options.Rounds = NextInt(1); break;
                case "--duration": options.DurationSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--tenants": options.Tenants = NextInt(1); break;
                case "--connections": options.Connections = NextInt(1); break;
                case "--inflight": options.InFlight = NextInt(1); break;
                case "--chat-tenants": options.ChatTenants = NextInt(1); break;
                case "--samples": options.DormantSamples = NextInt(1); break;
                case "--memory-tenants": options.MemoryTenants = NextInt(1); break;
                case "--memory-connections": options.MemoryConnections = NextInt(1); break;
                case "--memory-conn-tenants": options.MemoryConnectionTenants = NextInt(1); break;
                case "--memory-rounds": options.MemoryRounds = NextInt(1); break;
                case "--postgres": options.Postgres = Next(); break;
                case "--silo": options.SiloDirectory = Next(); break;
                case "--verbose": options.Verbose = true; break;
                case "-h" or "--help": throw new ArgumentException("help");
                default:
                    if (arg.StartsWith('-')) throw new ArgumentException($"unknown option {arg}");
                    options.Scenarios = arg;
                    break;
            }
        }
        if (options.DurationSeconds is <= 0 or > 120) throw new ArgumentException("--duration must be in (0, 120]");
        return options;
    }

    public bool Runs(string scenario) =>
        Scenarios == "all" || Scenarios.Split(',').Contains(scenario, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="scenario"/> is named explicitly ("all" does not include it).</summary>
    public bool Names(string scenario) => Scenarios.Split(',').Contains(scenario, StringComparer.OrdinalIgnoreCase);

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    public string StorageName => Postgres is null ? "embedded file storage" : "PostgreSQL";
}
