using System.Buffers;
using System.Net.WebSockets;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Reads whole messages from a socket into one pooled buffer, enforcing a size limit without
/// buffering more than limit + 1 bytes. After an oversize or binary message the rest of that
/// message is skipped. Reads are never cancelled (cancelling a WebSocket receive aborts the
/// socket); the connection aborts the socket instead when it must stop waiting.
/// </summary>
internal sealed class WebSocketMessageReader(WebSocket socket) : IDisposable
{
    private const int InitialBufferSize = 16 * 1024;
    private const int RetainedBufferSize = 256 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private bool _skippingRestOfMessage;

    public async Task<InboundMessage> ReadAsync(int maxBytes)
    {
        if (_buffer.Length > RetainedBufferSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        }

        var count = 0;
        while (true)
        {
            if (count == _buffer.Length) Grow(count, maxBytes);
            var window = _buffer.AsMemory(count, Math.Min(_buffer.Length - count, maxBytes + 1 - count));
            var result = await socket.ReceiveAsync(window, CancellationToken.None).ConfigureAwait(false);

            if (result.MessageType == WebSocketMessageType.Close) return new InboundMessage(InboundMessageKind.Close, default);

            if (_skippingRestOfMessage)
            {
                if (result.EndOfMessage) _skippingRestOfMessage = false;
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                _skippingRestOfMessage = !result.EndOfMessage;
                return new InboundMessage(InboundMessageKind.Binary, default);
            }

            count += result.Count;
            if (count > maxBytes)
            {
                _skippingRestOfMessage = !result.EndOfMessage;
                return new InboundMessage(InboundMessageKind.TooLarge, default);
            }
            if (result.EndOfMessage) return new InboundMessage(InboundMessageKind.Text, _buffer.AsMemory(0, count));
        }
    }

    private void Grow(int count, int maxBytes)
    {
        var size = (int)Math.Min((long)_buffer.Length * 2, (long)maxBytes + 1);
        var larger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
