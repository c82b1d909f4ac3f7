using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Forwards a socket's requests to its tenant grain and queues the responses. Requests run
/// concurrently (a <c>chat.abort</c> never waits behind a pending <c>chat.send</c> on the edge;
/// <see cref="GatewayMethodCatalog.InterleavedMethods"/> go through
/// <see cref="IUserGrain.InvokeInterleaved"/> so the grain does not make it wait either). A
/// reply with <see cref="GatewayReply.FinalPending"/> is followed by a second response with the
/// same id, fetched with <see cref="GatewayMethodCatalog.AgentFinal"/>. Grain failures and
/// timeouts become UNAVAILABLE responses (retryable); the socket is never affected.
/// </summary>
internal sealed class TenantRequestDispatcher(
    IUserGrain grain,
    ConnectionIdentity identity,
    string connectionId,
    ConnectionFrameWriter writer,
    EdgeGatewayOptions options,
    TimeProvider time,
    ILogger logger)
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Dispatch(InboundRequest request, CancellationToken connectionClosed)
    {
        if (Interlocked.Increment(ref _inFlight) > options.MaxConcurrentRequestsPerConnection)
        {
            Interlocked.Decrement(ref _inFlight);
            Respond(request, GatewayReply.Failure(GatewayError.Unavailable(
                $"too many concurrent requests on this connection (max {options.MaxConcurrentRequestsPerConnection})") with
            {
                Retryable = true,
                RetryAfterMs = 1000,
            }));
            return;
        }
        _ = Task.Run(() => RunAsync(request, connectionClosed), CancellationToken.None);
    }

    private async Task RunAsync(InboundRequest request, CancellationToken connectionClosed)
    {
        try
        {
            var call = new GatewayCall
            {
                Method = request.Method,
                ParamsJson = request.ParamsJson,
                RequestId = request.Id,
                ConnectionId = connectionId,
                Scopes = identity.Scopes,
                ClientId = identity.ClientId,
                ClientMode = identity.ClientMode,
            };
            var reply = await InvokeAsync(call, connectionClosed).ConfigureAwait(false);
            Respond(request, reply);

            if (!reply.FinalPending) return;
            if (!reply.Ok || string.IsNullOrEmpty(reply.RunId))
            {
                EdgeGatewayLog.FinalPendingWithoutRunId(logger, connectionId, request.Method);
                return;
            }
            Respond(request, await WaitForFinalAsync(call, reply.RunId, connectionClosed).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (connectionClosed.IsCancellationRequested)
        {
            // The socket is gone; nobody is waiting for the answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// The grain answers <see cref="GatewayMethodCatalog.AgentFinal"/> within a bounded wait; a reply
    /// that is still <see cref="GatewayReply.FinalPending"/> means "not finished yet, ask again".
    /// Asks until the run ends or <see cref="EdgeGatewayOptions.LongRequestTimeoutMs"/> passes.
    /// </summary>
    private async Task<GatewayReply> WaitForFinalAsync(GatewayCall call, string runId, CancellationToken connectionClosed)
    {
        var finalCall = call with { Method = GatewayMethodCatalog.AgentFinal, ParamsJson = ProtocolJson.RunIdParams(runId) };
        var started = time.GetTimestamp();
        while (true)
        {
            var reply = await InvokeAsync(finalCall, connectionClosed).ConfigureAwait(false);
            if (!reply.FinalPending) return reply;
            if (time.GetElapsedTime(started).TotalMilliseconds >= options.LongRequestTimeoutMs)
                return GatewayReply.Failure(
                    GatewayError.Unavailable($"agent run {runId} did not finish within {options.LongRequestTimeoutMs} ms") with { Retryable = true },
                    ProtocolJson.RunIdParams(runId));
        }
    }

    private async Task<GatewayReply> InvokeAsync(GatewayCall call, CancellationToken connectionClosed)
    {
        var timeoutMs = IsLongRunning(call.Method) ? options.LongRequestTimeoutMs : options.RequestTimeoutMs;
        try
        {
            var pending = GatewayMethodCatalog.InterleavedMethods.Contains(call.Method) ? grain.InvokeInterleaved(call, connectionClosed) : grain.Invoke(call, connectionClosed);
            var reply = await pending.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), time, connectionClosed).ConfigureAwait(false);
            return reply ?? GatewayReply.Failure(GatewayError.Unavailable($"tenant gateway unavailable: {call.Method} returned no reply") with { Retryable = true });
        }
        catch (OperationCanceledException) when (connectionClosed.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException)
        {
            EdgeGatewayLog.GrainCallTimedOut(logger, connectionId, identity.TenantId, call.Method, timeoutMs);
            return GatewayReply.Failure(GatewayError.Unavailable($"request timed out: {call.Method} did not complete within {timeoutMs} ms") with
            {
                Retryable = true,
            });
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.GrainCallFailed(logger, ex, connectionId, identity.TenantId, call.Method);
            return GatewayReply.Failure(GatewayError.Unavailable($"tenant gateway unavailable: {call.Method} failed ({ex.GetType().Name}); retry shortly") with
            {
                Retryable = true,
                RetryAfterMs = 1000,
            });
        }
    }

    private void Respond(InboundRequest request, GatewayReply reply)
    {
        byte[] frame;
        try
        {
            frame = ProtocolFrames.Response(request.Id, reply);
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
        {
            EdgeGatewayLog.InvalidGrainJson(logger, ex, connectionId, "reply to", request.Method);
            frame = ProtocolFrames.ErrorResponse(request.Id, GatewayError.Unavailable($"tenant gateway returned an invalid reply to {request.Method}") with { Retryable = true });
        }
        writer.TryEnqueueResponse(frame);
    }

    private static bool IsLongRunning(string method) =>
        method is "agent.wait" or GatewayMethodCatalog.AgentFinal;
}
