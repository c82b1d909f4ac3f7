using System.CommandLine;
using Spectre.Console;
using static OpenClaw.Cli.Format;

namespace OpenClaw.Cli.Commands;

/// <summary>
/// <c>multi-tenant users list</c> (registered tenants, or with <c>--active</c> the ones in memory
/// and their silo) and <c>users cleanup</c> (deactivate idle tenants now).
/// </summary>
public static class UsersCommands
{
    public static Command Create(CommandFactory commands)
    {
        var users = new Command("users", "Tenants (users): list them, clean up idle ones.");

        var active = new Option<bool>("--active") { Description = "List tenants active in memory (with their silo) instead of registered ones." };
        var status = new Option<string?>("--status") { Description = "Registered tenants with this status: active, suspended, deleted." };
        var plan = new Option<string?>("--plan") { Description = "Registered tenants on this plan." };
        var after = new Option<string?>("--after") { Description = "Start after this tenant id (the cursor printed after a full page)." };
        var limit = new Option<int?>("--limit") { Description = "Page size (1-1000, default 100)." };
        users.Subcommands.Add(commands.Create("list", "List tenants.", (parse, context, ct) =>
            ListAsync(context, parse.GetValue(active), parse.GetValue(status), parse.GetValue(plan), parse.GetValue(after), parse.GetValue(limit), ct),
            active, status, plan, after, limit));

        var idle = new Option<string?>("--idle") { Description = "Deactivate tenants idle at least this long, e.g. 30m, 2h (default: the silo's configured idle timeout)." };
        users.Subcommands.Add(commands.Create("cleanup", "Deactivate idle tenants now on every silo.", (parse, context, ct) =>
            CleanupAsync(context, parse.GetValue(idle), ct), idle));
        return users;
    }

    private static async Task ListAsync(CommandContext context, bool active, string? status, string? plan, string? after, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000) throw new CliException(ExitCodes.Usage, "--limit must be from 1 to 1000.");
        if (active && (status is not null || plan is not null))
            throw new CliException(ExitCodes.Usage, "--active lists tenants in memory; --status and --plan filter registered tenants. Use one or the other.");
        var page = active
            ? await context.Admin.GetJsonAsync("users" + Query(("active", "true"), ("after", after), ("limit", limit?.ToString())), ct)
            : await context.Admin.GetJsonAsync("tenants" + Query(("status", status), ("plan", plan), ("after", after), ("limit", limit?.ToString())), ct);
        if (context.Json)
        {
            context.WriteJson(page);
            return;
        }
        var tenants = Array(page, "tenants");
        var table = new Table().Border(TableBorder.Rounded);
        if (active)
        {
            table.AddColumns("Tenant", "Silo");
            foreach (var tenant in tenants) table.AddRow(Escape(Str(tenant, "tenantId")), Escape(Str(tenant, "silo")));
        }
        else
        {
            table.AddColumns("Tenant", "Name", "Plan", "Status", "Created");
            foreach (var tenant in tenants)
                table.AddRow(Escape(Str(tenant, "id")), Escape(Str(tenant, "displayName")), Escape(Str(tenant, "plan")), Escape(Str(tenant, "status")), Escape(Time(tenant, "createdAt")));
        }
        context.Ansi.Write(table);
        context.Ansi.MarkupLine($"{tenants.Count} tenant(s){(active ? " active" : "")}");
        foreach (var silo in Array(page, "unreachable")) context.Note($"warning: silo {Str(silo, "silo")} did not answer: {Str(silo, "reason")}");
        if (Str(page, "nextAfter") is { Length: > 0 } next) context.Note($"more: --after {next}");
    }

    private static async Task CleanupAsync(CommandContext context, string? idle, CancellationToken ct)
    {
        TimeSpan? idleFor = null;
        if (idle is not null)
        {
            if (!Duration.TryParse(idle, out var parsed)) throw new CliException(ExitCodes.Usage, $"--idle must be a duration such as 90s, 30m, 2h (was '{idle}').");
            idleFor = parsed;
        }
        var description = idleFor is { } age ? $"Deactivating tenants idle for {Duration.Format(age)} or more on every silo" : "Deactivating idle tenants on every silo";
        var result = await context.WithProgressAsync(description, _ => context.Admin.SendJsonAsync(
            HttpMethod.Post, "users/cleanup" + Query(("idleSeconds", idleFor is { } s ? ((long)s.TotalSeconds).ToString() : null)), null, ct));
        if (context.Json)
        {
            context.WriteJson(result);
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Silo", "Deactivated", "Idle for", "Still active");
        foreach (var silo in Array(result, "perSilo"))
            table.AddRow(Escape(Str(silo, "silo")), Count(Long(silo, "deactivated")), Duration.Format(TimeSpan.FromSeconds(Long(silo, "idleSeconds"))), Count(Long(silo, "activeAfter")));
        foreach (var silo in Array(result, "unreachable"))
            table.AddRow(Escape(Str(silo, "silo")), "[red]unreachable[/]", "", Escape(Str(silo, "reason")));
        context.Ansi.Write(table);
        context.Ansi.MarkupLine($"[bold]{Count(Long(result, "deactivated"))}[/] idle tenant(s) deactivated");
    }
}
