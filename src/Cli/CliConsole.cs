using Spectre.Console;

namespace OpenClaw.Cli;

/// <summary>Where the CLI writes and what it knows of its environment (tests give their own).</summary>
public sealed class CliConsole
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }

    /// <summary>True when stdout is a terminal: tables get colour and long operations a live status.</summary>
    public bool IsTerminal { get; init; }

    public Func<string, string?> Environment { get; init; } = global::System.Environment.GetEnvironmentVariable;

    /// <summary>An <see cref="HttpMessageHandler"/> for tests; null uses the default.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    public static CliConsole System() => new()
    {
        Out = global::System.Console.Out,
        Error = global::System.Console.Error,
        IsTerminal = !global::System.Console.IsOutputRedirected,
    };

    /// <summary>Spectre console over <see cref="Out"/>: no colour or cursor tricks when it is not a terminal.</summary>
    public IAnsiConsole CreateAnsiConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        // Redirected output (files, pipes, scripts) keeps whole lines: no wrapping at 80 columns.
        if (!IsTerminal) console.Profile.Width = 240;
        return console;
    }
}
