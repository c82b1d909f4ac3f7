using System.Net.WebSockets;
using System.Text;
using OpenClaw.Bench.EdgeLoad;

namespace OpenClaw.Bench.MemoryFlood;

/// <summary>
/// A hostile client: completes the protocol v4 handshake with the tenant token, then sends
/// requests for an unknown method with a very long name and never reads again. The gateway
/// answers each with an error that repeats the name, so the answers pile up in the silo's
/// outgoing queue of this socket (up to the edge's <c>MaxBufferedBytes</c>) while the kernel
/// buffers are full. Closed by aborting (TCP reset), as a client that goes away does.
/// </summary>
internal sealed class FloodSocket : IDisposable
{
    private const int IdDigits = 8;
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(20);
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });

    private readonly ClientWebSocket _socket;

    private FloodSocket(ClientWebSocket socket) => _socket = socket;

    public static async Task<FloodSocket> ConnectAsync(Uri uri, string token, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HandshakeTimeout);
        try
        {
            await socket.ConnectAsync(uri, Invoker, timeout.Token);
            var buffer = new byte[64 * 1024];
            var challenge = await ReceiveTextAsync(socket, buffer, timeout.Token);
            if (!challenge.Contains("connect.challenge", StringComparison.Ordinal)) throw new InvalidDataException("expected connect.challenge: " + challenge);
            await socket.SendAsync(ClientFrames.Connect("connect-1", token), WebSocketMessageType.Text, true, timeout.Token);
            var hello = await ReceiveTextAsync(socket, buffer, timeout.Token);
            if (!hello.Contains("hello-ok", StringComparison.Ordinal)) throw new InvalidDataException("expected hello-ok: " + hello);
        }
        catch
        {
            socket.Abort();
            socket.Dispose();
            throw;
        }
        return new FloodSocket(socket);
    }

    /// <summary>
    /// One frame <c>{"type":"req","id":"00000000","method":"flood.xxx…","params":{}}</c> of about
    /// <paramref name="frameBytes"/> bytes; <see cref="SendAsync"/> rewrites the id in place.
    /// </summary>
    public static byte[] FrameTemplate(int frameBytes)
    {
        var head = $$"""{"type":"req","id":"{{new string('0', IdDigits)}}","method":"flood.""";
        const string tail = "\",\"params\":{}}";
        var nameLength = Math.Max(1, frameBytes - head.Length - tail.Length);
        return Encoding.ASCII.GetBytes(head + new string('x', nameLength) + tail);
    }

    /// <summary>Sends <paramref name="count"/> requests built from <paramref name="template"/> (a private copy per socket).</summary>
    public async Task SendAsync(byte[] template, int count, CancellationToken cancellationToken)
    {
        var frame = (byte[])template.Clone();
        var idStart = Encoding.ASCII.GetBytes("{\"type\":\"req\",\"id\":\"").Length;
        for (var i = 1; i <= count; i++)
        {
            Encoding.ASCII.GetBytes(i.ToString("D" + IdDigits, System.Globalization.CultureInfo.InvariantCulture), frame.AsSpan(idStart, IdDigits));
            await _socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken);
        }
    }

    public void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException($"server closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
            length += result.Count;
            if (result.EndOfMessage) return Encoding.UTF8.GetString(buffer, 0, length);
            if (length == buffer.Length) throw new InvalidDataException("handshake frame too large");
        }
    }
}
