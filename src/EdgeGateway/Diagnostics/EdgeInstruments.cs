using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Diagnostics;

/// <summary>
/// The edge's meter (<see cref="MeterName"/>) and trace source (<see cref="ActivitySourceName"/>):
/// connections, handshakes, frames, close codes, auth failures, slow consumers and requests.
/// Labels come only from bounded sets (outcome codes, close codes, known method names); never a
/// tenant, token, client id or address.
/// </summary>
public sealed class EdgeInstruments : IDisposable
{
    public const string MeterName = "OpenClaw.Edge";
    public const string ActivitySourceName = "OpenClaw.Edge";
    public const string OutcomeTag = "outcome";
    public const string CloseCodeTag = "close.code";
    public const string MethodTag = "method";

    /// <summary>The method label of a request whose method the gateway does not know (client-chosen text never becomes a label).</summary>
    public const string UnknownMethod = "unknown";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public static readonly IReadOnlyList<double> RequestDurationBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connectionsOpen;
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _authFailures;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _framesOut;
    private readonly Counter<long> _closes;
    private readonly Counter<long> _slowConsumerCloses;
    private readonly Histogram<double> _requestDuration;
    private readonly BoundedLabels _outcomes = new(32);
    private long _open;

    public EdgeInstruments(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _connectionsOpen = _meter.CreateUpDownCounter<long>("openclaw.edge.connections.open", "{connection}", "WebSocket connections open on this edge.");
        _handshakes = _meter.CreateCounter<long>("openclaw.edge.handshakes", "{handshake}",
            "Connect handshakes by outcome: accepted, or the refusal's detail code (timeout, token mismatch, rate limited, …).");
        _authFailures = _meter.CreateCounter<long>("openclaw.edge.auth.failures", "{handshake}", "Handshakes refused for authentication (token, device proof, auth throttle), by outcome.");
        _framesIn = _meter.CreateCounter<long>("openclaw.edge.frames.received", "{frame}", "Text frames received from clients.");
        _framesOut = _meter.CreateCounter<long>("openclaw.edge.frames.sent", "{frame}", "Frames sent to clients (responses and events).");
        _closes = _meter.CreateCounter<long>("openclaw.edge.connections.closed", "{connection}", "Connections closed, by the close code the edge sent (none: the socket ended without one).");
        _slowConsumerCloses = _meter.CreateCounter<long>("openclaw.edge.slow_consumer.closes", "{connection}", "Connections closed because the client read too slowly (its socket's or its tenant's buffer was full).");
        _requestDuration = _meter.CreateHistogram("openclaw.edge.request.duration", "s", "Protocol requests from receipt to the answer, by method.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestDurationBuckets });
    }

    /// <summary>Connections open right now (for in-process readers: the cluster stats).</summary>
    public int ConnectionsOpen => (int)Interlocked.Read(ref _open);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _open);
        _connectionsOpen.Add(1);
    }

    internal void ConnectionClosed(int? closeCode, bool slowConsumer)
    {
        Interlocked.Decrement(ref _open);
        _connectionsOpen.Add(-1);
        _closes.Add(1, new KeyValuePair<string, object?>(CloseCodeTag, closeCode is { } code ? CloseCodeLabel(code) : "none"));
        if (slowConsumer) _slowConsumerCloses.Add(1);
    }

    internal void HandshakeAccepted() => _handshakes.Add(1, new KeyValuePair<string, object?>(OutcomeTag, "accepted"));

    internal void HandshakeRefused(string detailCode, bool authFailure)
    {
        var outcome = new KeyValuePair<string, object?>(OutcomeTag, _outcomes.Of(detailCode));
        _handshakes.Add(1, outcome);
        if (authFailure) _authFailures.Add(1, outcome);
    }

    internal void FrameReceived() => _framesIn.Add(1);

    internal void FrameSent() => _framesOut.Add(1);

    internal void RequestEnded(string method, long elapsedStopwatchTicks)
    {
        if (_requestDuration.Enabled)
            _requestDuration.Record(Stopwatch.GetElapsedTime(0, elapsedStopwatchTicks).TotalSeconds, new KeyValuePair<string, object?>(MethodTag, MethodLabel(method)));
    }

    /// <summary>The method as a label or span attribute: a known protocol method, else <see cref="UnknownMethod"/>.</summary>
    public static string MethodLabel(string method) => GatewayMethodCatalog.Methods.ContainsKey(method) ? method : UnknownMethod;

    private static string CloseCodeLabel(int code) => code switch
    {
        1000 => "1000", 1002 => "1002", 1003 => "1003", 1008 => "1008", 1009 => "1009",
        1011 => "1011", 1012 => "1012", 1013 => "1013", 4001 => "4001",
        _ => "other",
    };

    public void Dispose() => _meter.Dispose();
}
