namespace OpenClaw.Bench.MemoryFlood;

/// <summary>
/// A garbage collector setup of the silo process, given as <c>DOTNET_*</c> environment variables
/// (they take precedence over the silo's runtimeconfig.json), and whether the silo's own
/// <c>MemoryReclaimer</c> runs (its default interval) or is turned off. Every knob the runs compare is
/// set explicitly, so the figures do not depend on what the silo's build currently defaults to.
/// Values of <c>DOTNET_GC*</c> variables are hexadecimal.
/// </summary>
internal sealed record GcConfiguration(string Name, string Description, IReadOnlyDictionary<string, string> Environment, bool Reclaims = false)
{
    /// <summary>The silo's arguments: the reclaimer off unless the configuration measures it.</summary>
    public IEnumerable<string> SiloArguments => Reclaims ? [] : ["--server:memoryReclaim:intervalSeconds", "0"];

    public static readonly IReadOnlyList<GcConfiguration> All =
    [
        new("server-datas", "server GC with DATAS (the .NET 10 default for the web SDK)",
            Env(server: true, concurrent: true, datas: true)),
        new("server", "server GC, DATAS off (the .NET 8 default)",
            Env(server: true, concurrent: true, datas: false)),
        new("workstation", "workstation concurrent GC",
            Env(server: false, concurrent: true, datas: false)),
        new("server-datas-conserve7", "server GC with DATAS, GCConserveMemory=7",
            Env(server: true, concurrent: true, datas: true, ("DOTNET_GCConserveMemory", "7"))),
        new("server-conserve7", "server GC, DATAS off, GCConserveMemory=7",
            Env(server: true, concurrent: true, datas: false, ("DOTNET_GCConserveMemory", "7"))),
        new("workstation-conserve7", "workstation concurrent GC, GCConserveMemory=7",
            Env(server: false, concurrent: true, datas: false, ("DOTNET_GCConserveMemory", "7"))),
        new("server-datas+reclaim", "server GC with DATAS, the silo's memory reclaimer on (default interval)",
            Env(server: true, concurrent: true, datas: true), Reclaims: true),
        new("server-datas-conserve7+reclaim", "server GC with DATAS, GCConserveMemory=7, the silo's memory reclaimer on (the silo's own setup)",
            Env(server: true, concurrent: true, datas: true, ("DOTNET_GCConserveMemory", "7")), Reclaims: true),
        new("workstation+reclaim", "workstation concurrent GC, the silo's memory reclaimer on (default interval)",
            Env(server: false, concurrent: true, datas: false), Reclaims: true),
        new("server-datas-limit1g", "server GC with DATAS, GCHeapHardLimit=1 GiB",
            Env(server: true, concurrent: true, datas: true, ("DOTNET_GCHeapHardLimit", "0x40000000"))),
    ];

    public static IReadOnlyList<GcConfiguration> Parse(string names)
    {
        if (names == "all") return All;
        return [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name =>
            All.FirstOrDefault(c => c.Name == name)
            ?? throw new ArgumentException($"unknown GC configuration '{name}'; known: {string.Join(", ", All.Select(c => c.Name))}"))];
    }

    private static Dictionary<string, string> Env(bool server, bool concurrent, bool datas, params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = server ? "1" : "0",
            ["DOTNET_gcConcurrent"] = concurrent ? "1" : "0",
            ["DOTNET_GCDynamicAdaptationMode"] = datas ? "1" : "0",
        };
        foreach (var (key, value) in extra) env[key] = value;
        return env;
    }
}
