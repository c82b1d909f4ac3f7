using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Diagnostics;

/// <summary>
/// The grains' meter (<see cref="MeterName"/>): chat runs by outcome, LLM provider requests
/// (latency, errors, tokens) by provider. Labels come from bounded sets only (outcome, the
/// registered provider names, token type); never a tenant. Also feeds <see cref="ChatRunStatistics"/>.
/// </summary>
public sealed class GrainsInstruments : IDisposable
{
    public const string MeterName = "OpenClaw.Grains";

    /// <summary>The grains' trace source: one client span per provider request.</summary>
    public const string ActivitySourceName = "OpenClaw.Grains";

    public const string OutcomeTag = "outcome";
    public const string ProviderTag = "provider";
    public const string TokenTypeTag = "token.type";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public static readonly IReadOnlyList<double> ProviderDurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly KeyValuePair<string, object?> InputTokens = new(TokenTypeTag, "input");
    private static readonly KeyValuePair<string, object?> OutputTokens = new(TokenTypeTag, "output");

    private readonly Meter _meter;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _providerDuration;
    private readonly Counter<long> _providerErrors;
    private readonly Counter<long> _tokens;

    public GrainsInstruments(IMeterFactory? meterFactory = null, ChatRunStatistics? statistics = null)
    {
        Statistics = statistics ?? new ChatRunStatistics();
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _runs = _meter.CreateCounter<long>("openclaw.chat.runs", "{run}",
            "Chat runs ended on this silo, by outcome: ok, aborted, timeout, provider_error, error.");
        _providerDuration = _meter.CreateHistogram("openclaw.provider.request.duration", "s",
            "LLM provider requests from start to the end of the stream, by provider and outcome (ok, error, cancelled).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProviderDurationBuckets });
        _providerErrors = _meter.CreateCounter<long>("openclaw.provider.errors", "{request}", "LLM provider requests that failed, by provider.");
        _tokens = _meter.CreateCounter<long>("openclaw.provider.tokens", "{token}", "Tokens the providers reported, by provider and token.type (input, output).");
    }

    public ChatRunStatistics Statistics { get; }

    internal void RunEnded(RunStatus status, string? errorKind)
    {
        var outcome = status switch
        {
            RunStatus.Ok => "ok",
            RunStatus.Aborted => "aborted",
            _ => errorKind switch { "timeout" => "timeout", "provider" => "provider_error", _ => "error" },
        };
        _runs.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));
        Statistics.RunEnded(status != RunStatus.Ok);
    }

    internal void ProviderRequestEnded(in KeyValuePair<string, object?> provider, string outcome, long elapsedStopwatchTicks)
    {
        if (_providerDuration.Enabled)
            _providerDuration.Record(Stopwatch.GetElapsedTime(0, elapsedStopwatchTicks).TotalSeconds, provider, new KeyValuePair<string, object?>(OutcomeTag, outcome));
        if (outcome == "error")
        {
            _providerErrors.Add(1, provider);
            Statistics.ProviderFailed();
        }
    }

    internal void TokensUsed(in KeyValuePair<string, object?> provider, int input, int output)
    {
        if (input > 0) _tokens.Add(input, provider, InputTokens);
        if (output > 0) _tokens.Add(output, provider, OutputTokens);
        Statistics.TokensUsed(input, output);
    }

    public void Dispose() => _meter.Dispose();
}
