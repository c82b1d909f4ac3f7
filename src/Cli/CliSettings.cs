using System.CommandLine;

namespace OpenClaw.Cli;

/// <summary>The global options, on every command.</summary>
public sealed class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:18789";
    public const string UrlVariable = "OPENCLAW_URL";
    public const string TokenVariable = "OPENCLAW_SERVICE_TOKEN";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(100);

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"Base URL of a silo or edge (default: ${UrlVariable} or {DefaultUrl}).",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Service token (default: ${TokenVariable}).",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's JSON instead of tables (for scripts).",
        Recursive = true,
    };

    public Option<string?> Timeout { get; } = new("--timeout")
    {
        Description = "How long to wait for the server, e.g. 30s, 5m (default 100s).",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Url, Token, Json, Timeout];

    public CliSettings Resolve(ParseResult parse, CliConsole console)
    {
        var urlText = parse.GetValue(Url) ?? console.Environment(UrlVariable) ?? DefaultUrl;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new CliException(ExitCodes.Usage, $"--url must be an absolute http(s) URL (was '{urlText}').");
        var timeout = DefaultTimeout;
        if (parse.GetValue(Timeout) is { } timeoutText)
        {
            if (!Duration.TryParse(timeoutText, out timeout) || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromHours(2))
                throw new CliException(ExitCodes.Usage, $"--timeout must be a duration from 1s to 2h such as 30s or 5m (was '{timeoutText}').");
        }
        var token = parse.GetValue(Token);
        if (string.IsNullOrEmpty(token)) token = console.Environment(TokenVariable);
        return new CliSettings(url, string.IsNullOrEmpty(token) ? null : token, parse.GetValue(Json), timeout);
    }
}

public sealed record CliSettings(Uri Url, string? Token, bool Json, TimeSpan Timeout);
