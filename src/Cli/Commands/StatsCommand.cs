using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static OpenClaw.Cli.Format;

namespace OpenClaw.Cli.Commands;

/// <summary><c>multi-tenant stats</c>: every silo's figures (GET /admin/v1/stats).</summary>
public static class StatsCommand
{
    public static Command Create(CommandFactory commands) =>
        commands.Create("stats", "Cluster figures: silos, activations, CPU, memory, calls, tenants.", RunAsync);

    private static async Task RunAsync(ParseResult parse, CommandContext context, CancellationToken ct)
    {
        var stats = await context.Admin.GetJsonAsync("stats", ct);
        if (context.Json)
        {
            context.WriteJson(stats);
            return;
        }
        var silos = Array(stats, "silos");
        var unreachable = Array(stats, "unreachable");
        var console = context.Ansi;
        var tenants = stats["tenantCountsKnown"]?.GetValue<bool>() == true
            ? $"tenants {Count(Long(stats, "tenantsTotal"))} registered, {Count(Long(stats, "tenantsActive"))} active, {Count(Long(stats, "tenantsSuspended"))} suspended"
            : "tenant counts unavailable (no registry on this host)";
        console.MarkupLine($"[bold]{silos.Count} silo(s)[/], {unreachable.Count} unreachable; {Escape(tenants)}; at {Escape(Time(stats, "at"))}");

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Silo", "Status", "Host", "CPU %", "Memory", "Heap", "Activations", "Tenants", "Calls", "Failures", "Timeouts", "p50 ms", "p99 ms", "Up since");
        foreach (var silo in silos)
        {
            var byType = silo?["activationsByType"] as JsonObject;
            var activeTenants = byType?["user"] is JsonValue users && users.TryGetValue<int>(out var n) ? n : 0;
            table.AddRow(
                Escape(Str(silo, "silo")),
                Escape(Str(silo, "status")),
                Escape(Str(silo, "hostName")),
                Num(silo, "cpuPercent").ToString("0.0"),
                Bytes(Long(silo, "workingSetBytes")),
                Bytes(Long(silo, "managedHeapBytes")),
                $"{Count(Long(silo, "activations"))} / {Count(Long(silo, "maxActivations"))}",
                Count(activeTenants),
                Count(Long(silo, "callsTotal")),
                Count(Long(silo, "callFailuresTotal")),
                Count(Long(silo, "callTimeoutsTotal")),
                Num(silo, "callLatencyP50Ms").ToString("0.##"),
                Num(silo, "callLatencyP99Ms").ToString("0.##"),
                Escape(Time(silo, "startedAt")));
        }
        foreach (var silo in unreachable)
            table.AddRow(Escape(silo?.ToString() ?? ""), "[red]unreachable[/]", "", "", "", "", "", "", "", "", "", "", "", "");
        console.Write(table);

        var types = silos
            .SelectMany(s => (s?["activationsByType"] as JsonObject)?.Select(p => (Type: p.Key, Count: p.Value?.GetValue<int>() ?? 0)) ?? [])
            .GroupBy(t => t.Type)
            .Select(g => (Type: g.Key, Count: g.Sum(t => t.Count)))
            .OrderByDescending(t => t.Count)
            .ToList();
        if (types.Count == 0) return;
        var typeTable = new Table().Border(TableBorder.Rounded).AddColumns("Grain type", "Activations");
        foreach (var (type, count) in types) typeTable.AddRow(Escape(type), Count(count));
        console.Write(typeTable);
    }
}
