using System.Globalization;

namespace OpenClaw.Bench.MemoryFlood;

/// <summary>Command-line options. The defaults queue about 1.3 GB of answers in the silo per run.</summary>
internal sealed class FloodOptions
{
    public string Configurations { get; private set; } = "all";
    public int Rounds { get; private set; } = 3;
    public int Sockets { get; private set; } = 32;
    public int FramesPerSocket { get; private set; } = 160;
    public int FrameKiB { get; private set; } = 256;
    public int SettleSeconds { get; private set; } = 45;
    public int ReclaimDeadlineSeconds { get; private set; } = 150;
    public int TrafficSeconds { get; private set; } = 30;
    public int TrafficPerSecond { get; private set; } = 200;
    public string? SiloDirectory { get; private set; }
    public bool Verbose { get; private set; }

    public static readonly string Usage = $"""
        usage: openclaw-memoryflood [options]
          --gc LIST             GC configurations, comma list or "all" ({string.Join(", ", GcConfiguration.All.Select(c => c.Name))})
          --rounds N            rounds; each round runs every configuration once, in turn (3)
          --sockets N           flooding sockets, all with the demo tenant's token (32)
          --frames N            requests per socket, sent without reading any answer (160)
          --frame-kib N         size of each request, and so of each answer, in KiB (256)
          --settle S            at most this long waiting for RSS to settle after the sockets close (45)
          --reclaim-deadline S  with the silo's reclaimer on: at most this long after the close for RSS to fall back (150)
          --traffic S           seconds of light traffic after settling (30)
          --traffic-rps N       health requests per second of that traffic (200)
          --silo DIR            folder holding openclaw-silo.dll (default src/Silo/bin/Release/net10.0)
          --verbose             echo the silo's output
        """;

    public static FloodOptions Parse(string[] args)
    {
        var options = new FloodOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            int NextInt(int min) => int.Parse(Next(), CultureInfo.InvariantCulture) is var v && v >= min ? v : throw new ArgumentException($"{arg} must be ≥ {min}");
            switch (arg)
            {
                case "--gc": options.Configurations = Next(); break;
                case "--rounds": options.Rounds = NextInt(1); break;
                case "--sockets": options.Sockets = NextInt(1); break;
                case "--frames": options.FramesPerSocket = NextInt(1); break;
                case "--frame-kib": options.FrameKiB = NextInt(1); break;
                case "--settle": options.SettleSeconds = NextInt(10); break;
                case "--reclaim-deadline": options.ReclaimDeadlineSeconds = NextInt(10); break;
                case "--traffic": options.TrafficSeconds = NextInt(0); break;
                case "--traffic-rps": options.TrafficPerSecond = NextInt(1); break;
                case "--silo": options.SiloDirectory = Next(); break;
                case "--verbose": options.Verbose = true; break;
                case "-h" or "--help": throw new ArgumentException("help");
                default: throw new ArgumentException($"unknown option {arg}");
            }
        }
        GcConfiguration.Parse(options.Configurations);
        return options;
    }

    /// <summary>The options EdgeLoad's environment (silo snapshot, scratch folder, child processes) needs.</summary>
    public string[] EdgeLoadArguments() =>
        [.. SiloDirectory is null ? [] : new[] { "--silo", SiloDirectory }, .. Verbose ? new[] { "--verbose" } : []];
}
