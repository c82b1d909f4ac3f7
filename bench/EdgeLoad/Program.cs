using System.Diagnostics;
using OpenClaw.Bench.EdgeLoad;

// Edge load benchmark: starts the real silo on 127.0.0.1 and drives it over the OpenClaw Gateway
// protocol v4. Usage: dotnet run -c Release --project bench/EdgeLoad -- [all|dormant|warm|memory|chat|events] [options]
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    if (ex.Message != "help") Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var commandLine = "dotnet run -c Release --project bench/EdgeLoad --" + string.Concat(args.Select(a =>
    " " + (a.Contains("Password=", StringComparison.OrdinalIgnoreCase) ? "'<connection string>'" : a.IndexOfAny(" ;&|$<>'\"".ToCharArray()) >= 0 ? $"'{a}'" : a)));
Console.WriteLine($"# OpenClaw edge load bench — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"# command: {commandLine}");
Console.WriteLine($"# state: {options.StorageName}; rounds {options.Rounds}, duration {options.DurationSeconds:0.#} s; load average (1 min) {LoadHelpers.LoadAverage()}");

// Hard bound on the whole run; every wait inside has its own shorter bound too.
using var watchdog = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var report = new Report();
var failedScenarios = new List<string>();
var total = Stopwatch.StartNew();
using (var env = await BenchEnvironment.CreateAsync(options))
{
    var ct = watchdog.Token;
    async Task Run(string name, Func<Task> scenario)
    {
        if (!options.Runs(name)) return;
        try
        {
            await scenario();
        }
        catch (Exception ex)
        {
            failedScenarios.Add(name);
            Console.WriteLine($"  !! scenario '{name}' failed: {ex.GetType().Name}: {ex.Message}");
            report.Note(name, $"scenario failed: {ex.Message}");
        }
    }

    await Run("dormant", () => DormantScenario.RunAsync(env, report, ct));
    await Run("memory", () => MemoryScenario.RunAsync(env, report, ct));
    if (options.Names("events")) await Run("events", () => EventVolumeScenario.RunAsync(env, report, ct));
    if (options.Names("instrumentation")) await Run("instrumentation", () => InstrumentationScenario.RunAsync(env, report, ct));
    if (options.Runs("warm") || options.Runs("chat"))
    {
        var warmTenants = env.Tenants("warm", options.Tenants);
        var chatTenants = env.Tenants("chat", options.ChatTenants);
        try
        {
            Console.WriteLine();
            await using var silo = await SiloProcess.StartAsync(env, "main", [.. warmTenants, .. chatTenants], [], ct);
            await Run("warm", () => WarmHealthScenario.RunAsync(env, silo, warmTenants, report, ct));
            await Run("chat", () => ChatScenario.RunAsync(env, silo, chatTenants, report, ct));
        }
        catch (Exception ex)
        {
            failedScenarios.Add("main silo");
            Console.WriteLine($"  !! main silo failed: {ex.Message}");
        }
    }
}

Observations.Global.Print(Console.Out);
report.Print(Console.Out);
Console.WriteLine();
Console.WriteLine($"# finished in {total.Elapsed.TotalSeconds:0} s; load average (1 min) {LoadHelpers.LoadAverage()}; command: {commandLine}");
return failedScenarios.Count == 0 ? 0 : 1;
