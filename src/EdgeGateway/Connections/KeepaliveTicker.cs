using OpenClaw.EdgeGateway.Protocol;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>Queues a <c>tick</c> event <c>{ts}</c> every tick interval once the socket is authenticated (PROTOCOL.md §6).</summary>
internal static class KeepaliveTicker
{
    public static async Task RunAsync(ConnectionFrameWriter writer, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
                writer.TryEnqueueEvent(ProtocolConstants.TickEvent, ProtocolEvents.Tick(nowMs), sequenced: true);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }
}
