using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OpenClaw.Runtime;

/// <summary>
/// One TCP connection between two cluster processes (silo↔silo or client→silo). Frames are
/// length-prefixed (<see cref="ClusterFrames"/>). One read loop hands every complete frame to the
/// <see cref="IFrameHandler"/>; one write loop sends queued frames in batches (gathered into a single
/// send). Sending never blocks the caller: frames queue, and a peer that does not read lets the
/// queue grow to <see cref="ClusterOptions.MaxQueuedBytesPerConnection"/>, then the connection is
/// dropped. A frame that is not valid drops the connection too. Either side may send requests;
/// responses go back on the connection the request came on.
/// </summary>
internal sealed class ClusterConnection
{
    private const int ReadBufferSize = 64 * 1024;
    private const int MaxBatchFrames = 128;
    private const int MaxBatchBytes = 256 * 1024;

    private readonly Socket _socket;
    private readonly IFrameHandler _handler;
    private readonly ClusterOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<OutboundFrame> _outbound = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _queuedBytes;
    private int _closing;

    public ClusterConnection(Socket socket, bool outbound, IFrameHandler handler, ClusterOptions options, ILogger logger)
    {
        _socket = socket;
        _socket.NoDelay = true;
        IsOutbound = outbound;
        _handler = handler;
        _options = options;
        _logger = logger;
        RemoteEndpoint = socket.RemoteEndPoint?.ToString() ?? "?";
    }

    public bool IsOutbound { get; }

    public string RemoteEndpoint { get; }

    /// <summary>Set by the handshake: the peer silo (for silo peers and the silo a client connected to).</summary>
    public SiloAddress? PeerSilo { get; set; }

    /// <summary>Set by the handshake on a silo: the id of the client process on the other end.</summary>
    public string? PeerClientId { get; set; }

    public bool IsEstablished { get; private set; }

    /// <summary>Completes when the handshake succeeded; fails when the connection closes before.</summary>
    public Task Handshake => _handshake.Task;

    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void MarkEstablished()
    {
        IsEstablished = true;
        _handshake.TrySetResult();
    }

    /// <summary>Requests received on this connection that are still running, by correlation id (for cancel and close).</summary>
    public ConcurrentDictionary<long, InboundCall> InboundCalls { get; } = new();

    public bool IsClosed => Volatile.Read(ref _closing) != 0;

    /// <summary>Completes once the connection is closed (by either side, or by an error).</summary>
    public Task Closed => _closed.Task;

    public void Start()
    {
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues a frame; false (and the frame released) when the connection is closed.</summary>
    public bool Send(OutboundFrame frame)
    {
        if (IsClosed)
        {
            frame.Release();
            return false;
        }
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _options.MaxQueuedBytesPerConnection)
        {
            frame.Release();
            NetworkingLog.PeerNotReading(_logger, RemoteEndpoint, _options.MaxQueuedBytesPerConnection);
            Close("the peer is not reading");
            return false;
        }
        if (_outbound.Writer.TryWrite(frame)) return true;
        frame.Release();
        return false;
    }

    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        NetworkingLog.ConnectionClosed(_logger, RemoteEndpoint, PeerDescription, reason);
        _outbound.Writer.TryComplete();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already gone
        }
        _socket.Dispose();
        _handshake.TrySetException(new SiloUnavailableException($"The connection to {RemoteEndpoint} closed before its handshake completed: {reason}."));
        try
        {
            _handler.OnClosed(this);
        }
        finally
        {
            while (_outbound.Reader.TryRead(out var frame)) frame.Release();
            _closed.TrySetResult();
        }
    }

    public string PeerDescription => PeerSilo?.ToString() ?? (PeerClientId is { } client ? "client " + client : "unidentified peer");

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var start = 0;
        var end = 0;
        try
        {
            while (!IsClosed)
            {
                if (end == buffer.Length)
                {
                    // Make room: move the partial frame to the front, or grow for a large one.
                    var pending = end - start;
                    var needed = pending >= 4 ? 4 + BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start)) : ReadBufferSize;
                    var target = needed > buffer.Length ? ArrayPool<byte>.Shared.Rent(needed) : buffer;
                    Buffer.BlockCopy(buffer, start, target, 0, pending);
                    if (!ReferenceEquals(target, buffer)) ArrayPool<byte>.Shared.Return(buffer);
                    buffer = target;
                    start = 0;
                    end = pending;
                }

                var read = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    Close("the peer closed the connection");
                    return;
                }
                end += read;

                while (end - start >= 4)
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start));
                    if (length < 1 || length > _options.MaxFrameBytes)
                        throw new ClusterProtocolException($"frame length {length} (at most {_options.MaxFrameBytes})");
                    if (end - start - 4 < length) break;
                    var frame = buffer.AsSpan(start + 4, length);
                    _handler.OnFrame(this, (FrameKind)frame[0], frame[1..]);
                    start += 4 + length;
                }
                if (start == end)
                {
                    start = 0;
                    end = 0;
                }
                if (buffer.Length > ReadBufferSize && end - start < ReadBufferSize && start == 0 && end == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
                }
            }
        }
        catch (ClusterProtocolException ex)
        {
            NetworkingLog.ProtocolViolation(_logger, RemoteEndpoint, PeerDescription, ex.Message);
            Close("protocol violation: " + ex.Message);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            Close(ex is SocketException socketException ? socketException.SocketErrorCode.ToString() : "the connection broke");
        }
        catch (Exception ex)
        {
            NetworkingLog.ReadLoopFailed(_logger, ex, RemoteEndpoint);
            Close("internal error while reading");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteLoopAsync()
    {
        var segments = new List<ArraySegment<byte>>(MaxBatchFrames);
        var frames = new List<OutboundFrame>(MaxBatchFrames);
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var bytes = 0;
                while (frames.Count < MaxBatchFrames && bytes < MaxBatchBytes && reader.TryRead(out var frame))
                {
                    frames.Add(frame);
                    segments.Add(new ArraySegment<byte>(frame.Array, 0, frame.Length));
                    bytes += frame.Length;
                }
                try
                {
                    await SendAllAsync(segments, bytes).ConfigureAwait(false);
                }
                finally
                {
                    foreach (var sent in frames) sent.Release();
                    frames.Clear();
                    segments.Clear();
                    Interlocked.Add(ref _queuedBytes, -bytes);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            Close("sending failed");
        }
    }

    private async Task SendAllAsync(List<ArraySegment<byte>> segments, int total)
    {
        var sent = await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
        while (sent < total)
        {
            // A partial send: drop what went out and send the rest.
            var skip = sent;
            while (segments.Count > 0 && skip >= segments[0].Count)
            {
                skip -= segments[0].Count;
                segments.RemoveAt(0);
            }
            if (skip > 0) segments[0] = segments[0][skip..];
            total -= sent;
            sent = await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
        }
    }
}

/// <summary>Receives the frames of <see cref="ClusterConnection"/>s (on their read loop) and their closing.</summary>
internal interface IFrameHandler
{
    void OnFrame(ClusterConnection connection, FrameKind kind, ReadOnlySpan<byte> body);

    void OnClosed(ClusterConnection connection);
}
