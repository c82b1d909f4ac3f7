using System.Text.Json;

namespace OpenClaw.Cli.Tests;

/// <summary>One run of the CLI's command layer (the same <see cref="CliApp.RunAsync"/> Program calls), its exit code and output.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            IsTerminal = false,
            Environment = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null,
        };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await CliApp.RunAsync(args, console, deadline.Token);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public JsonElement Json() => JsonDocument.Parse(Out).RootElement.Clone();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
