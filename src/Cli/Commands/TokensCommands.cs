using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using static OpenClaw.Cli.Format;

namespace OpenClaw.Cli.Commands;

/// <summary><c>multi-tenant tokens list|issue|rotate|revoke</c> over /admin/v1/tenants/{id}/tokens.</summary>
public static class TokensCommands
{
    public static Command Create(CommandFactory commands)
    {
        var tokens = new Command("tokens", "A tenant's gateway tokens.");
        var tenant = new Argument<string>("tenant") { Description = "Tenant id." };
        var tokenId = new Argument<string>("token-id") { Description = "Token id (tok_…), as listed." };
        static string Path(ParseResult parse, Argument<string> tenant) => $"tenants/{Segment(parse.GetValue(tenant)!)}/tokens";

        tokens.Subcommands.Add(commands.Create("list", "List a tenant's tokens (never their plaintext).", async (parse, context, ct) =>
        {
            var list = await context.Admin.GetJsonAsync(Path(parse, tenant), ct);
            if (context.Json)
            {
                context.WriteJson(list);
                return;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Token", "Name", "Created", "Expires", "Last used", "Valid");
            foreach (var token in Array(list, "tokens"))
                table.AddRow(Escape(Str(token, "tokenId")), Escape(Str(token, "name")), Time(token, "createdAt"), Time(token, "expiresAt"), Time(token, "lastUsedAt"),
                    token?["valid"]?.GetValue<bool>() == true ? "yes" : "no");
            context.Ansi.Write(table);
        }, tenant));

        var name = new Option<string?>("--name") { Description = "A name for operators (default 'default')." };
        var expires = new Option<string?>("--expires") { Description = "Expire after this long, e.g. 30d, 12h (default: never)." };
        tokens.Subcommands.Add(commands.Create("issue", "Issue a new token; its plaintext is shown once.", async (parse, context, ct) =>
        {
            var body = new JsonObject();
            if (parse.GetValue(name) is { } tokenName) body["name"] = tokenName;
            if (parse.GetValue(expires) is { } expiresText)
            {
                if (!Duration.TryParse(expiresText, out var lifetime) || lifetime <= TimeSpan.Zero)
                    throw new CliException(ExitCodes.Usage, $"--expires must be a duration such as 30d or 12h (was '{expiresText}').");
                body["expiresAt"] = DateTimeOffset.UtcNow.Add(lifetime).ToString("O");
            }
            ShowIssued(context, await context.Admin.SendJsonAsync(HttpMethod.Post, Path(parse, tenant), body, ct));
        }, tenant, name, expires));

        var overlap = new Option<string?>("--overlap") { Description = "How long the old token keeps working, e.g. 1h (default 1h; 0 refuses it now)." };
        tokens.Subcommands.Add(commands.Create("rotate", "Replace a token; the old one keeps working for the overlap.", async (parse, context, ct) =>
        {
            var overlapText = parse.GetValue(overlap) ?? "1h";
            if (!Duration.TryParse(overlapText, out var window)) throw new CliException(ExitCodes.Usage, $"--overlap must be a duration such as 0, 10m, 1h (was '{overlapText}').");
            var body = new JsonObject { ["overlapSeconds"] = (long)window.TotalSeconds };
            ShowIssued(context, await context.Admin.SendJsonAsync(HttpMethod.Post, $"{Path(parse, tenant)}/{Segment(parse.GetValue(tokenId)!)}/rotate", body, ct));
        }, tenant, tokenId, overlap));

        tokens.Subcommands.Add(commands.Create("revoke", "Revoke a token now: sockets that used it are closed.", async (parse, context, ct) =>
        {
            var result = await context.Admin.SendJsonAsync(HttpMethod.Delete, $"{Path(parse, tenant)}/{Segment(parse.GetValue(tokenId)!)}", null, ct);
            if (context.Json) context.WriteJson(result);
            else context.Ansi.MarkupLine(Escape($"revoked {parse.GetValue(tokenId)} of {parse.GetValue(tenant)}"));
        }, tenant, tokenId));
        return tokens;
    }

    private static void ShowIssued(CommandContext context, JsonNode issued)
    {
        if (context.Json)
        {
            context.WriteJson(issued);
            return;
        }
        var token = issued["token"];
        context.Ansi.MarkupLine(Escape($"token {Str(token, "tokenId")} ({Str(token, "name")}, expires {Time(token, "expiresAt")})"));
        context.Ansi.MarkupLine($"plaintext (shown once; store it now): [bold]{Escape(Str(issued, "plaintext"))}[/]");
    }
}
