using System.CommandLine;
using OpenClaw.Cli.Commands;

namespace OpenClaw.Cli;

/// <summary>The <c>openclaw</c> command tree. <see cref="RunAsync"/> is the whole CLI (Program and tests call it).</summary>
public static class CliApp
{
    public static RootCommand Build(CliConsole console)
    {
        var globals = new GlobalOptions();
        var commands = new CommandFactory(console, globals);
        var root = new RootCommand($"OpenClaw operator CLI: drives a running cluster through its admin API. {ExitCodes.Summary}");
        foreach (var option in globals.All) root.Options.Add(option);

        var multiTenant = new Command("multi-tenant", "Operate the multi-tenant gateway cluster.");
        multiTenant.Subcommands.Add(StatsCommand.Create(commands));
        multiTenant.Subcommands.Add(ConfigCommands.Create(commands));
        multiTenant.Subcommands.Add(UsersCommands.Create(commands));
        multiTenant.Subcommands.Add(TenantsCommands.Create(commands));
        multiTenant.Subcommands.Add(TokensCommands.Create(commands));
        multiTenant.Subcommands.Add(ArchiveCommands.CreateExport(commands));
        multiTenant.Subcommands.Add(ArchiveCommands.CreateImport(commands));
        root.Subcommands.Add(multiTenant);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var parse = Build(console).Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken);
    }
}
