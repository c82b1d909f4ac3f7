using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// Handles every frame of every cluster connection of this process (on the connection's read
/// loop): the handshake, requests (decoded and handed to the <see cref="IInboundCallHandler"/>),
/// responses (to the <see cref="CallbackTable"/>), cancels, and probes. Connections that close fail
/// the calls sent on them and cancel the calls received on them.
/// </summary>
internal sealed class MessageCenter : IFrameHandler
{
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pings = new();
    private long _nextPingId;

    public MessageCenter(IOptions<ClusterOptions> options, CallbackTable callbacks, TimeProvider time, ILogger<MessageCenter> logger)
    {
        _options = options.Value;
        Callbacks = callbacks;
        _time = time;
        _logger = logger;
    }

    public CallbackTable Callbacks { get; }

    /// <summary>Set once at startup: this process's identity on the cluster.</summary>
    public ClusterIdentity? Identity { get; set; }

    /// <summary>Set once at startup: where inbound calls go.</summary>
    public IInboundCallHandler? InboundHandler { get; set; }

    /// <summary>Binds references inside received arguments; set once at startup.</summary>
    public IGrainCallRouter? Router { get; set; }

    /// <summary>What this silo hosts (sent in the handshake); empty on clients.</summary>
    public GrainManifest LocalManifest { get; set; } = new();

    /// <summary>What the silos this process connected to host (merged from their handshakes).</summary>
    public GrainManifest RemoteManifest { get; } = new();

    /// <summary>On a silo: the connection of each client, by client id (observer calls go back through it).</summary>
    public ConcurrentDictionary<string, ClusterConnection> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>Raised after a connection closed and its calls were failed.</summary>
    public event Action<ClusterConnection>? ConnectionClosed;

    public void OnFrame(ClusterConnection connection, FrameKind kind, ReadOnlySpan<byte> body)
    {
        var reader = new FrameReader(body);
        if (!connection.IsEstablished)
        {
            Handshake(connection, kind, ref reader);
            return;
        }
        switch (kind)
        {
            case FrameKind.Request:
                HandleRequest(connection, ref reader);
                break;
            case FrameKind.Response:
                var id = reader.ReadInt64();
                var status = (ResponseStatus)reader.ReadByte();
                if (status is not (ResponseStatus.Ok or ResponseStatus.Exception)) throw new ClusterProtocolException($"response status {(int)status}");
                var ranOn = reader.ReadString() is { } text ? ParseSilo(text) : (SiloAddress?)null;
                var responseBody = reader.ReadBlock().ToArray();
                reader.ExpectEnd("a response");
                Callbacks.OnResponse(id, new RemoteResponse(status, ranOn, responseBody));
                break;
            case FrameKind.Cancel:
                var cancelled = reader.ReadInt64();
                reader.ExpectEnd("a cancel");
                if (connection.InboundCalls.TryRemove(cancelled, out var call)) call.Cancel();
                break;
            case FrameKind.Ping:
                var ping = reader.ReadInt64();
                reader.ExpectEnd("a ping");
                connection.Send(ClusterFrames.Control(FrameKind.Pong, ping));
                break;
            case FrameKind.Pong:
                var pong = reader.ReadInt64();
                reader.ExpectEnd("a pong");
                if (_pings.TryRemove(pong, out var waiter)) waiter.TrySetResult();
                break;
            default:
                throw new ClusterProtocolException($"unexpected frame kind {(int)kind} after the handshake");
        }
    }

    public void OnClosed(ClusterConnection connection)
    {
        Callbacks.FailConnection(connection);
        foreach (var (id, call) in connection.InboundCalls)
        {
            if (connection.InboundCalls.TryRemove(id, out _)) call.Cancel();
        }
        if (connection.PeerClientId is { } clientId) Clients.TryRemove(new KeyValuePair<string, ClusterConnection>(clientId, connection));
        ConnectionClosed?.Invoke(connection);
    }

    /// <summary>Sends a ping and waits for the pong; false when none came within <paramref name="timeout"/>.</summary>
    public async Task<bool> PingAsync(ClusterConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextPingId);
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[id] = pong;
        try
        {
            if (!connection.Send(ClusterFrames.Control(FrameKind.Ping, id))) return false;
            await pong.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _pings.TryRemove(id, out _);
        }
    }

    private void Handshake(ClusterConnection connection, FrameKind kind, ref FrameReader reader)
    {
        var identity = Identity ?? throw new ClusterProtocolException("this process is not ready for cluster traffic yet");
        if (connection.IsOutbound)
        {
            if (kind != FrameKind.HelloAck) throw new ClusterProtocolException($"expected the handshake answer, got frame kind {(int)kind}");
            CheckVersionAndCluster(ref reader);
            var silo = ParseSilo(reader.ReadRequiredString("silo address"));
            var manifest = GrainManifest.Read(reader.ReadBlock());
            reader.ExpectEnd("the handshake answer");
            if (connection.PeerSilo is { } expected && expected != silo)
                throw new ClusterProtocolException($"expected silo {expected} but {silo} answered (it restarted)");
            connection.PeerSilo = silo;
            RemoteManifest.Merge(manifest);
            connection.MarkEstablished();
            return;
        }

        if (kind != FrameKind.Hello) throw new ClusterProtocolException($"expected a handshake, got frame kind {(int)kind}");
        if (identity.Silo is not { } self) throw new ClusterProtocolException("clients do not accept connections");
        CheckVersionAndCluster(ref reader);
        var role = (ConnectionRole)reader.ReadByte();
        var peer = reader.ReadRequiredString("identity");
        reader.ExpectEnd("the handshake");
        switch (role)
        {
            case ConnectionRole.Silo:
                connection.PeerSilo = ParseSilo(peer);
                break;
            case ConnectionRole.Client when ClusterIdentity.IsValidClientId(peer):
                connection.PeerClientId = peer;
                if (Clients.TryGetValue(peer, out var previous) && !ReferenceEquals(previous, connection)) previous.Close("the client reconnected");
                Clients[peer] = connection;
                break;
            default:
                throw new ClusterProtocolException($"invalid role {(int)role} or identity");
        }
        NetworkingLog.Accepted(_logger, role.ToString(), peer, connection.RemoteEndpoint);
        connection.MarkEstablished();
        connection.Send(ClusterFrames.HelloAck(_options.ClusterId, self, LocalManifest));
    }

    private void CheckVersionAndCluster(ref FrameReader reader)
    {
        var version = reader.ReadInt32();
        if (version != ClusterFrames.ProtocolVersion) throw new ClusterProtocolException($"protocol version {version}, this process speaks {ClusterFrames.ProtocolVersion}");
        var clusterId = reader.ReadString();
        if (!string.Equals(clusterId, _options.ClusterId, StringComparison.Ordinal))
            throw new ClusterProtocolException($"the peer belongs to cluster '{clusterId}', not '{_options.ClusterId}'");
    }

    private void HandleRequest(ClusterConnection connection, ref FrameReader reader)
    {
        var correlationId = reader.ReadInt64();
        var flags = (RequestFlags)reader.ReadByte();
        var forwardCount = reader.ReadByte();
        var timeoutMs = reader.ReadInt32();
        var grainType = reader.ReadRequiredString("grain type");
        var grainKey = reader.ReadRequiredString("grain key");
        var interfaceName = reader.ReadRequiredString("interface");
        var methodId = reader.ReadInt32();
        var arguments = reader.ReadBlock();
        var traceParent = (flags & RequestFlags.TraceContext) != 0 ? Diagnostics.TraceContextFormat.Parse(reader.ReadString()) : default;
        reader.ExpectEnd("a request");
        var oneWay = (flags & RequestFlags.OneWay) != 0;
        if (!oneWay && correlationId <= 0) throw new ClusterProtocolException("a two-way request without a correlation id");
        if (timeoutMs < 0) throw new ClusterProtocolException("negative timeout");

        var self = Identity?.Silo;
        GrainRequest request;
        GrainId target;
        try
        {
            target = new GrainId(grainType, grainKey);
            if (!GrainCodeRegistry.Instance.TryGetRequestReader(interfaceName, methodId, out var read))
                throw new InvalidOperationException($"This process does not know method {methodId} of {interfaceName}.");
            var json = new Utf8JsonReader(arguments);
            using (GrainReferenceJson.Bind(Router ?? throw new InvalidOperationException("No router is bound.")))
            {
                request = read(ref json, GrainSerializer.Options);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
        {
            NetworkingLog.BadRequest(_logger, connection.RemoteEndpoint, ex.Message);
            if (!oneWay)
                connection.Send(ClusterFrames.Response(correlationId, ResponseStatus.Exception, self, ex, static (w, e) => RemoteExceptionCodec.Write(w, e)));
            return;
        }

        var deadline = timeoutMs > 0 ? _time.GetTimestamp() + (long)(timeoutMs / 1000.0 * _time.TimestampFrequency) : 0;
        var call = new InboundCall(target, request, flags, forwardCount, deadline, connection, oneWay ? 0 : correlationId, self) { TraceParent = traceParent };
        if (!oneWay && !connection.InboundCalls.TryAdd(correlationId, call))
            throw new ClusterProtocolException($"correlation id {correlationId} is already in use on this connection");
        var handler = InboundHandler;
        if (handler is null)
        {
            call.Fail(new SiloUnavailableException("This process does not take calls yet."));
            return;
        }
        handler.Handle(call);
    }

    private static SiloAddress ParseSilo(string text)
    {
        try
        {
            return SiloAddress.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new ClusterProtocolException(ex.Message);
        }
    }
}
