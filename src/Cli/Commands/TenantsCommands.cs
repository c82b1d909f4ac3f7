using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static OpenClaw.Cli.Format;

namespace OpenClaw.Cli.Commands;

/// <summary><c>multi-tenant tenants create|get|suspend|resume|delete|set-plan|config set</c> over /admin/v1/tenants.</summary>
public static class TenantsCommands
{
    /// <summary>The config fields <c>config set</c> accepts (the admin API's config merge-patch).</summary>
    public static readonly string[] ConfigKeys = ["provider", "model", "apiKey", "baseUrl", "agentName", "systemPrompt"];

    public static Command Create(CommandFactory commands)
    {
        var tenants = new Command("tenants", "Create and manage tenants.");
        var id = new Argument<string>("tenant") { Description = "Tenant id." };

        var name = new Option<string?>("--name") { Description = "Display name." };
        var plan = new Option<string?>("--plan") { Description = "Plan (free, basic, pro, enterprise; default free)." };
        var withToken = new Option<bool>("--issue-token") { Description = "Also issue a first gateway token (its plaintext is shown once)." };
        tenants.Subcommands.Add(commands.Create("create", "Create a tenant.", async (parse, context, ct) =>
        {
            var body = new JsonObject { ["id"] = parse.GetValue(id) };
            if (parse.GetValue(name) is { } displayName) body["displayName"] = displayName;
            if (parse.GetValue(plan) is { } planName) body["plan"] = planName;
            if (parse.GetValue(withToken)) body["token"] = new JsonObject { ["name"] = "default" };
            var created = await context.Admin.SendJsonAsync(HttpMethod.Post, "tenants", body, ct);
            if (context.Json)
            {
                context.WriteJson(created);
                return;
            }
            ShowTenant(context, created["tenant"]);
            if (created["token"] is JsonObject token)
                context.Ansi.MarkupLine($"token [bold]{Escape(Str(token["token"], "tokenId"))}[/]: {Escape(Str(token, "plaintext"))}  (shown once; store it now)");
        }, id, name, plan, withToken));

        tenants.Subcommands.Add(commands.Create("get", "Show one tenant.", (parse, context, ct) =>
            ShowAsync(context, HttpMethod.Get, $"tenants/{Segment(parse.GetValue(id)!)}", null, ct), id));
        tenants.Subcommands.Add(commands.Create("suspend", "Suspend a tenant: its tokens are refused and its sockets closed.", (parse, context, ct) =>
            ShowAsync(context, HttpMethod.Post, $"tenants/{Segment(parse.GetValue(id)!)}/suspend", null, ct), id));
        tenants.Subcommands.Add(commands.Create("resume", "Resume a suspended tenant.", (parse, context, ct) =>
            ShowAsync(context, HttpMethod.Post, $"tenants/{Segment(parse.GetValue(id)!)}/resume", null, ct), id));

        var yes = new Option<bool>("--yes") { Description = "Confirm: delete purges everything of the tenant for good." };
        tenants.Subcommands.Add(commands.Create("delete", "Delete a tenant and purge all its data.", async (parse, context, ct) =>
        {
            if (!parse.GetValue(yes)) throw new CliException(ExitCodes.Usage, "delete purges the tenant's sessions, workspace and tokens for good; add --yes to confirm.");
            var purged = await context.Admin.SendJsonAsync(HttpMethod.Delete, $"tenants/{Segment(parse.GetValue(id)!)}", null, ct);
            if (context.Json) context.WriteJson(purged);
            else context.Ansi.MarkupLine(Escape($"deleted {Str(purged, "id")}: {Long(purged, "stateRecordsCleared")} state records, {Long(purged, "workspaceFilesDeleted")} workspace files, {Long(purged, "tokensRemoved")} tokens"));
        }, id, yes));

        var newPlan = new Argument<string>("plan") { Description = "free, basic, pro or enterprise." };
        tenants.Subcommands.Add(commands.Create("set-plan", "Set a tenant's plan.", (parse, context, ct) =>
            ShowAsync(context, HttpMethod.Put, $"tenants/{Segment(parse.GetValue(id)!)}/plan", new JsonObject { ["plan"] = parse.GetValue(newPlan) }, ct), id, newPlan));

        var config = new Command("config", "A tenant's assistant config.");
        var pairs = new Argument<string[]>("settings")
        {
            Description = $"key=value pairs ({string.Join(", ", ConfigKeys)}); key= (empty) removes the field.",
            Arity = ArgumentArity.OneOrMore,
        };
        config.Subcommands.Add(commands.Create("set", "Change config fields (the API key is stored encrypted and never shown).", (parse, context, ct) =>
            ShowAsync(context, HttpMethod.Patch, $"tenants/{Segment(parse.GetValue(id)!)}/config", ConfigPatch(parse.GetValue(pairs)!), ct, "application/merge-patch+json"),
            id, pairs));
        tenants.Subcommands.Add(config);
        return tenants;
    }

    public static JsonObject ConfigPatch(IEnumerable<string> pairs)
    {
        var patch = new JsonObject();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            var key = eq > 0 ? ConfigKeys.FirstOrDefault(k => string.Equals(k, pair[..eq], StringComparison.OrdinalIgnoreCase)) : null;
            if (key is null) throw new CliException(ExitCodes.Usage, $"'{pair}' is not key=value with a key among {string.Join(", ", ConfigKeys)}.");
            var value = pair[(eq + 1)..];
            patch[key] = value.Length == 0 ? null : value;
        }
        return patch;
    }

    private static async Task ShowAsync(CommandContext context, HttpMethod method, string path, JsonNode? body, CancellationToken ct, string contentType = "application/json")
    {
        var tenant = await context.Admin.SendJsonAsync(method, path, body, ct, contentType);
        if (context.Json) context.WriteJson(tenant);
        else ShowTenant(context, tenant);
    }

    private static void ShowTenant(CommandContext context, JsonNode? tenant)
    {
        var config = tenant?["config"];
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string value) => grid.AddRow(Escape(name), Escape(value));
        Row("Tenant", Str(tenant, "id"));
        Row("Name", Str(tenant, "displayName"));
        Row("Plan", Str(tenant, "plan"));
        Row("Status", Str(tenant, "status"));
        Row("Created", Time(tenant, "createdAt"));
        Row("Updated", Time(tenant, "updatedAt"));
        Row("Provider", $"{Str(config, "provider")} / {Str(config, "model")}");
        Row("API key", config?["apiKeySet"]?.GetValue<bool>() == true ? "set" : "not set");
        Row("Base URL", Str(config, "baseUrl"));
        Row("Agent", Str(config, "agentName"));
        context.Ansi.Write(grid);
    }
}
