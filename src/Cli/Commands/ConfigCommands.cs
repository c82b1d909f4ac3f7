using System.CommandLine;
using Spectre.Console;
using static OpenClaw.Cli.Format;

namespace OpenClaw.Cli.Commands;

/// <summary><c>multi-tenant config sync</c> (POST /admin/v1/sync) and <c>config status</c> (GET).</summary>
public static class ConfigCommands
{
    public static Command Create(CommandFactory commands)
    {
        var config = new Command("config", "Tenant configuration sync with the Cloud Backend.");
        config.Subcommands.Add(commands.Create("sync", "Run a config sync pass now and show its outcome.", (parse, context, ct) => RunAsync(context, sync: true, ct)));
        config.Subcommands.Add(commands.Create("status", "Show where the config sync stands.", (parse, context, ct) => RunAsync(context, sync: false, ct)));
        return config;
    }

    private static async Task RunAsync(CommandContext context, bool sync, CancellationToken ct)
    {
        var status = sync
            ? await context.WithProgressAsync("Syncing tenant configs from the Cloud Backend", _ => context.Admin.SendJsonAsync(HttpMethod.Post, "sync", null, ct))
            : await context.Admin.GetJsonAsync("sync", ct);
        if (context.Json)
        {
            context.WriteJson(status);
            return;
        }
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string value) => grid.AddRow(Escape(name), Escape(value));
        var enabled = status["enabled"]?.GetValue<bool>() == true;
        Row("Enabled", enabled ? "yes" : "no (standalone: no multiTenant:cloudBackendUrl)");
        Row("Backend", Str(status, "backendUrl"));
        Row("Last attempt", Time(status, "lastAttemptAt"));
        Row("Last success", Time(status, "lastSuccessAt"));
        Row("Consecutive failures", Long(status, "consecutiveFailures").ToString());
        Row("Last error", Str(status, "lastError"));
        Row("Last pass", $"{Long(status, "lastCreated")} created, {Long(status, "lastUpdated")} updated, {Long(status, "lastSuspended")} suspended, {Long(status, "lastDeleted")} deleted, {Long(status, "lastTokensRevoked")} tokens revoked");
        Row("Next attempt", Time(status, "nextAttemptAt"));
        Row("Runs on", Str(status, "silo"));
        context.Ansi.Write(grid);
    }
}
