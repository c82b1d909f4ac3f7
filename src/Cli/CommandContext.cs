using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace OpenClaw.Cli;

/// <summary>What a command's action works with: the resolved settings, the admin client and the output.</summary>
public sealed class CommandContext : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public CommandContext(CliConsole console, CliSettings settings)
    {
        Console = console;
        Settings = settings;
        Admin = new AdminClient(settings, console.HttpHandler);
        Ansi = console.CreateAnsiConsole();
    }

    public CliConsole Console { get; }
    public CliSettings Settings { get; }
    public AdminClient Admin { get; }
    public IAnsiConsole Ansi { get; }
    public bool Json => Settings.Json;

    public void WriteJson(JsonNode node) => Console.Out.WriteLine(node.ToJsonString(Indented));

    /// <summary>A note for people (hints, next-page cursors): on stderr, so stdout stays parseable.</summary>
    public void Note(string line) => Console.Error.WriteLine(line);

    /// <summary>
    /// Runs a long operation with a live status line on a terminal, or plain start and end lines on
    /// stderr otherwise (logs, cron).
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string description, Func<Action<string>, Task<T>> work)
    {
        if (Console.IsTerminal && !Json)
        {
            return await Ansi.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(description), async status =>
                await work(update => status.Status(Markup.Escape(update))));
        }
        var started = DateTime.UtcNow;
        Note($"{description}…");
        var result = await work(_ => { });
        Note($"done in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        return result;
    }

    public void Dispose() => Admin.Dispose();
}

/// <summary>Builds commands whose action gets a <see cref="CommandContext"/> and whose failures become exit codes.</summary>
public sealed class CommandFactory(CliConsole console, GlobalOptions globals)
{
    public Command Create(string name, string description, Func<ParseResult, CommandContext, CancellationToken, Task> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Option option) command.Options.Add(option);
            else if (symbol is Argument argument) command.Arguments.Add(argument);
        }
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var context = new CommandContext(console, globals.Resolve(parse, console));
                await action(parse, context, ct);
                return ExitCodes.Ok;
            }
            catch (CliException ex)
            {
                await console.Error.WriteLineAsync($"error: {ex.Message}");
                return ex.ExitCode;
            }
        });
        return command;
    }
}
