namespace OpenClaw.Cli;

/// <summary>A failure the CLI reports as one line on stderr with <see cref="ExitCode"/>.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
