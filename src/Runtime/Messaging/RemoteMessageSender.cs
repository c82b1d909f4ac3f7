using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

/// <summary>
/// Sends a message to another process: opens (or reuses) the connection, registers the call for
/// its answer, carries the remaining time to the deadline, and turns a cancelled caller into a
/// cancel frame. Any failure to send ends the message with <see cref="SiloUnavailableException"/>.
/// </summary>
internal sealed class RemoteMessageSender(SiloConnector connector, CallbackTable callbacks, TimeProvider time, IOptions<ClusterOptions> options)
{
    private readonly ClusterOptions _options = options.Value;

    public void Send(GrainMessage message, SiloAddress silo, RequestFlags extraFlags = RequestFlags.None)
    {
        if (connector.TryGetEstablished(silo) is { } connection)
        {
            SendOn(message, connection, extraFlags);
            return;
        }
        _ = SendWhenConnectedAsync(message, silo, extraFlags);
    }

    /// <summary>Sends on a given connection (observer calls go back to a client on its own connection).</summary>
    public void SendOn(GrainMessage message, ClusterConnection connection, RequestFlags extraFlags = RequestFlags.None)
    {
        if (message.IsCompleted) return;
        if (message.Request is not { } request)
        {
            message.Fail(new InvalidOperationException($"{message.Describe()} cannot be sent to another process."));
            return;
        }
        var flags = extraFlags;
        if (message.Interleave) flags |= RequestFlags.Interleave;
        if (message.IsOneWay) flags |= RequestFlags.OneWay;

        var timeoutMs = 0;
        if (message.DeadlineTimestamp != 0)
        {
            var remaining = time.GetElapsedTime(time.GetTimestamp(), message.DeadlineTimestamp);
            if (remaining <= TimeSpan.Zero)
            {
                message.Fail(new GrainCallTimeoutException($"{message.Describe()} on {message.Target} ran out of time before it could be sent."));
                return;
            }
            timeoutMs = (int)Math.Clamp(Math.Ceiling(remaining.TotalMilliseconds), 1, int.MaxValue);
        }

        var id = message.IsOneWay ? 0 : callbacks.Register(message, connection, message.DeadlineTimestamp);
        OutboundFrame frame;
        try
        {
            frame = ClusterFrames.Request(id, flags, message.ForwardCount, timeoutMs, message.Target, request, message.TraceParent);
        }
        catch (Exception ex)
        {
            callbacks.Remove(id);
            message.Fail(ex);
            return;
        }
        if (id != 0 && request.CalleeCancellation.CanBeCanceled)
        {
            request.CalleeCancellation.UnsafeRegister(static s =>
            {
                var (c, correlationId) = ((ClusterConnection, long))s!;
                c.Send(ClusterFrames.Control(FrameKind.Cancel, correlationId));
            }, (connection, id));
        }
        if (!connection.Send(frame))
        {
            callbacks.Remove(id);
            message.Fail(new SiloUnavailableException($"The connection to {connection.PeerDescription} is closed; {message.Describe()} was not sent."));
        }
    }

    private async Task SendWhenConnectedAsync(GrainMessage message, SiloAddress silo, RequestFlags extraFlags)
    {
        ClusterConnection connection;
        try
        {
            connection = await connector.GetAsync(silo).ConfigureAwait(false);
        }
        catch (SiloUnavailableException ex)
        {
            message.Fail(ex);
            return;
        }
        SendOn(message, connection, extraFlags);
    }

    public int MaxForwardCount => _options.MaxForwardCount;
}
