using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.EdgeGateway.Protocol;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// The only writer of a socket: frames are queued and sent one at a time, so they never
/// interleave, and events get their per-connection <c>seq</c> (1, 2, …) in the order they are
/// sent. Queued bytes are bounded by <c>MaxBufferedBytes</c>: above it the socket is closed 1008
/// "slow consumer" at once (queued frames are dropped). Once authenticated they also count for the
/// tenant (<see cref="TenantLease"/>), whose slowest socket is closed the same way when all of the
/// tenant's sockets together hold too much. A requested close is sent after the
/// frames queued before it; if the peer has not completed the close within the close timeout
/// (or a send is stuck), the socket is aborted.
/// </summary>
internal sealed class ConnectionFrameWriter : IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<OutboundFrame> _queue = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly long _maxBufferedBytes;
    private readonly TimeSpan _closeTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _connectionId;
    private readonly CancellationTokenSource _disposed = new();
    private long _queuedBytes;
    private long _lastSequence;
    private CloseRequest? _close;
    private volatile bool _closeImmediately;
    private int _abortScheduled;
    private Task _loop = Task.CompletedTask;
    private TenantLease? _tenant;

    public ConnectionFrameWriter(WebSocket socket, string connectionId, long maxBufferedBytes, TimeSpan closeTimeout, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _connectionId = connectionId;
        _maxBufferedBytes = maxBufferedBytes;
        _closeTimeout = closeTimeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>Ends when the queue is drained and the close frame (if any) is sent, or the socket failed.</summary>
    public Task Completion => _loop;

    /// <summary>Counts the frames sent (null: not measured).</summary>
    public EdgeInstruments? Instruments { get; init; }

    public bool IsClosing => Volatile.Read(ref _close) is not null;

    public CloseRequest? Close => Volatile.Read(ref _close);

    /// <summary>The <c>seq</c> of the last event sent.</summary>
    public long LastSequence => Interlocked.Read(ref _lastSequence);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>From now on queued bytes also count for the socket's tenant.</summary>
    public void AttachTenant(TenantLease lease)
    {
        lease.OnCloseAsSlowConsumer(() => CloseAsSlowConsumer(lease));
        Volatile.Write(ref _tenant, lease);
    }

    public bool TryEnqueueResponse(byte[] frame) => TryEnqueue(new OutboundFrame.Serialized(frame), frame.Length);

    public bool TryEnqueueEvent(string name, string? payloadJson, bool sequenced) =>
        TryEnqueue(new OutboundFrame.Event(name, payloadJson, sequenced), 64 + name.Length + (payloadJson?.Length ?? 0));

    /// <summary>
    /// Asks for the socket to be closed with <paramref name="code"/>. Frames queued earlier are
    /// still sent unless <paramref name="immediately"/>. Only the first request counts.
    /// </summary>
    public bool RequestClose(int code, string reason, bool immediately = false)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(code, CloseReasons.Truncate(reason)), null) is not null) return false;
        if (immediately)
        {
            _closeImmediately = true;
            // The queued frames will not be sent: they stop counting for the tenant now.
            Volatile.Read(ref _tenant)?.ReleaseOutbound();
        }
        ScheduleAbort();
        _queue.Writer.TryWrite(OutboundFrame.CloseMarker.Instance);
        _queue.Writer.TryComplete();
        return true;
    }

    /// <summary>Stops accepting frames without sending a close (the socket is already closed or gone).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private bool TryEnqueue(OutboundFrame frame, long size)
    {
        if (IsClosing) return false;
        if (Interlocked.Add(ref _queuedBytes, size) > _maxBufferedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -size);
            if (RequestClose(CloseCodes.PolicyViolation, CloseReasons.SlowConsumer, immediately: true))
            {
                EdgeGatewayLog.SlowConsumer(_logger, _connectionId, _maxBufferedBytes);
            }
            return false;
        }
        var tenant = Volatile.Read(ref _tenant);
        if (tenant is not null)
        {
            if (!tenant.TryAddOutbound(size))
            {
                Interlocked.Add(ref _queuedBytes, -size);
                CloseAsSlowConsumer(tenant);
                return false;
            }
            frame.Tenant = tenant;
        }
        frame.Size = size;
        if (_queue.Writer.TryWrite(frame)) return true;
        Interlocked.Add(ref _queuedBytes, -size);
        frame.Tenant?.RemoveOutbound(size);
        return false;
    }

    private void CloseAsSlowConsumer(TenantLease tenant)
    {
        if (RequestClose(CloseCodes.PolicyViolation, CloseReasons.SlowConsumer, immediately: true))
        {
            EdgeGatewayLog.TenantSlowConsumer(_logger, _connectionId, tenant.TenantId);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (_closeImmediately || frame is OutboundFrame.CloseMarker) break;
                var bytes = frame switch
                {
                    OutboundFrame.Serialized serialized => serialized.Bytes,
                    OutboundFrame.Event @event => SerializeEvent(@event),
                    _ => null,
                };
                if (bytes is not null)
                {
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                    Instruments?.FrameSent();
                    if (frame is OutboundFrame.Event { Sequenced: true }) Interlocked.Increment(ref _lastSequence);
                }
                Interlocked.Add(ref _queuedBytes, -frame.Size);
                frame.Tenant?.RemoveOutbound(frame.Size);
            }

            if (Close is { } close && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.Reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            EdgeGatewayLog.WriteFailed(_logger, ex, _connectionId);
            _socket.Abort();
        }
    }

    private byte[]? SerializeEvent(OutboundFrame.Event @event)
    {
        try
        {
            return ProtocolFrames.Event(@event.Name, @event.PayloadJson, @event.Sequenced ? LastSequence + 1 : null);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidOperationException)
        {
            EdgeGatewayLog.InvalidGrainJson(_logger, ex, _connectionId, "event", @event.Name);
            return null;
        }
    }

    /// <summary>Aborts the socket if the close handshake has not completed within the close timeout.</summary>
    private void ScheduleAbort()
    {
        if (Interlocked.Exchange(ref _abortScheduled, 1) == 1) return;
        _ = AbortLaterAsync();
    }

    private async Task AbortLaterAsync()
    {
        try
        {
            await Task.Delay(_closeTimeout, _time, _disposed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (_socket.State != WebSocketState.Closed) _socket.Abort();
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _disposed.Cancel();
    }
}
