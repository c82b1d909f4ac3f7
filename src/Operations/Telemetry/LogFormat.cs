using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace OpenClaw.Operations.Telemetry;

/// <summary>
/// Seed 000's log settings: <c>logging:format</c> = <c>json</c> writes one JSON object per line to
/// the console with the structured fields (message template arguments as <c>State</c>), <c>text</c>
/// (default) the usual console lines; <c>logging:level</c> (<c>trace</c>, <c>debug</c>,
/// <c>info</c>, <c>warn</c>, <c>error</c>, <c>critical</c>, <c>none</c>) sets the minimum level.
/// Category levels under <c>Logging:LogLevel</c> still refine it.
/// </summary>
public static class LogFormat
{
    public const string FormatKey = "logging:format";
    public const string LevelKey = "logging:level";
    public const string Json = "json";
    public const string Text = "text";

    public static ILoggingBuilder AddOpenClawLogFormat(this ILoggingBuilder logging, IConfiguration configuration)
    {
        var format = configuration[FormatKey];
        if (string.Equals(format, Json, StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else if (!string.IsNullOrEmpty(format) && !string.Equals(format, Text, StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionsValidationException(FormatKey, typeof(LogFormat), [$"logging:format must be '{Json}' or '{Text}', not '{format}'."]);
        }

        if (configuration[LevelKey] is { Length: > 0 } levelText)
        {
            var level = ParseLevel(levelText)
                ?? throw new OptionsValidationException(LevelKey, typeof(LogFormat),
                    [$"logging:level must be one of trace, debug, info, warn, error, critical, none; not '{levelText}'."]);
            logging.SetMinimumLevel(level);
            // A rule for every category, added after the configuration's: it wins over Logging:LogLevel:Default.
            logging.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, null, level, null)));
        }
        return logging;
    }

    public static LogLevel? ParseLevel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" or "fatal" => LogLevel.Critical,
        "none" or "off" => LogLevel.None,
        _ => null,
    };
}
