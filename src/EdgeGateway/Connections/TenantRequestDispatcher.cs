using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Forwards a socket's requests to its tenant grain and queues the responses.
/// <list type="bullet">
/// <item>Admission, before anything reaches the grain: params within the method's size limit
/// (<see cref="MethodParamsLimits"/>, else INVALID_REQUEST), the socket's and the tenant's
/// requests and bytes in flight within their caps (else UNAVAILABLE, retryable, with
/// <c>retryAfterMs</c>).</item>
/// <item>Requests run concurrently (a <c>chat.abort</c> never waits behind a pending
/// <c>chat.send</c> on the edge; <see cref="GatewayMethodCatalog.InterleavedMethods"/> go through
/// <see cref="IUserGrain.InvokeInterleaved"/> so the grain does not make it wait either).</item>
/// <item>A reply with <see cref="GatewayReply.FinalPending"/> is followed by a second response
/// with the same id, fetched with <see cref="GatewayMethodCatalog.AgentFinal"/>; <c>agent.wait</c>
/// with a <c>timeoutMs</c> longer than the grain's per-call wait is asked again while the run is
/// still going. Both stop at <see cref="EdgeGatewayOptions.LongRequestTimeoutMs"/>.</item>
/// <item>Once the socket is closed, requests not yet forwarded are dropped and pending grain calls
/// are no longer waited for; everything the socket held is given back with its
/// <see cref="TenantLease"/>.</item>
/// <item>Grain failures and timeouts become UNAVAILABLE responses (<see cref="GrainFailureReplies"/>);
/// the socket is never affected.</item>
/// </list>
/// </summary>
internal sealed class TenantRequestDispatcher(
    IUserGrain grain,
    ConnectionIdentity identity,
    string connectionId,
    ConnectionFrameWriter writer,
    TenantLease tenant,
    TenantEventHub events,
    EdgeGatewayOptions options,
    TimeProvider time,
    ILogger logger,
    EdgeInstruments instruments)
{
    /// <summary>Shortest time between two asks for the same run (guards against a grain that answers "not yet" at once).</summary>
    private static readonly TimeSpan MinReaskInterval = TimeSpan.FromMilliseconds(100);

    private readonly MethodParamsLimits _paramsLimits = new(options);
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The socket called <c>sessions.subscribe</c> (the grain then remembers it until told it closed).</summary>
    public bool SessionEventsRequested { get; private set; }

    public void Dispatch(InboundRequest request, CancellationToken connectionClosed)
    {
        if (request.Method == SessionsSubscribeMethod) SessionEventsRequested = true;
        var limit = _paramsLimits.LimitFor(request.Method);
        if (request.ParamsBytes > limit)
        {
            Respond(request, GatewayReply.Failure(GatewayError.InvalidRequest(
                $"invalid {request.Method} params: too large ({request.ParamsBytes} bytes, max {limit})")));
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > options.MaxConcurrentRequestsPerConnection)
        {
            Interlocked.Decrement(ref _inFlight);
            Respond(request, Busy($"too many concurrent requests on this connection (max {options.MaxConcurrentRequestsPerConnection})"));
            return;
        }

        switch (tenant.TryStartRequest(request.FrameBytes))
        {
            case RequestAdmission.TooManyRequests:
                Interlocked.Decrement(ref _inFlight);
                EdgeGatewayLog.TenantBusy(logger, connectionId, identity.TenantId, "requests");
                Respond(request, Busy($"too many requests in flight for this tenant (max {options.MaxRequestsInFlightPerTenant})"));
                return;
            case RequestAdmission.TooManyBytes:
                Interlocked.Decrement(ref _inFlight);
                EdgeGatewayLog.TenantBusy(logger, connectionId, identity.TenantId, "bytes");
                Respond(request, Busy($"too much request data in flight for this tenant (max {options.MaxBytesInFlightPerTenant} bytes)"));
                return;
        }

        _ = Task.Run(() => RunAsync(request, connectionClosed), CancellationToken.None);
    }

    private async Task RunAsync(InboundRequest request, CancellationToken connectionClosed)
    {
        var holdsFrame = true;
        var started = Stopwatch.GetTimestamp();
        // One server span per protocol request; the grain call (and the provider request) nest under it.
        // No tenant id or client id in its attributes (see docs/telemetry.md). Each request starts its own
        // trace: the socket's HTTP request lives as long as the connection and must not parent them all.
        Activity.Current = null;
        using var activity = EdgeInstruments.ActivitySource.StartActivity(EdgeInstruments.RequestSpanName, ActivityKind.Server);
        activity?.SetTag("rpc.system", "openclaw-gateway");
        activity?.SetTag("rpc.method", EdgeInstruments.MethodLabel(request.Method));
        try
        {
            // The socket closed before the request was forwarded: nobody is waiting for it.
            if (connectionClosed.IsCancellationRequested) return;

            var call = new GatewayCall
            {
                Method = request.Method,
                ParamsJson = request.ParamsJson,
                RequestId = request.Id,
                ConnectionId = connectionId,
                Scopes = identity.Scopes,
                ClientId = identity.ClientId,
                ClientMode = identity.ClientMode,
                Role = identity.Role,
                Caps = identity.Caps,
            };
            var reply = request.Method == AgentWaitParams.Method
                ? await AgentWaitAsync(call, connectionClosed).ConfigureAwait(false)
                : await InvokeAsync(call, connectionClosed).ConfigureAwait(false);
            tenant.ReleaseRequestBytes(request.FrameBytes);
            holdsFrame = false;
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
            if (holdsFrame) tenant.ReleaseRequestBytes(request.FrameBytes);
            tenant.EndRequest();
            Interlocked.Decrement(ref _inFlight);
            instruments.RequestEnded(request.Method, Stopwatch.GetTimestamp() - started);
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
            var asked = time.GetTimestamp();
            var reply = await InvokeAsync(finalCall, connectionClosed).ConfigureAwait(false);
            if (!reply.FinalPending) return reply;
            if (ElapsedMs(started) >= options.LongRequestTimeoutMs)
                return GatewayReply.Failure(
                    GatewayError.Unavailable($"agent run {runId} did not finish within {options.LongRequestTimeoutMs} ms") with { Retryable = true },
                    ProtocolJson.RunIdParams(runId));
            await PaceAsync(asked, connectionClosed).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>agent.wait</c>: the grain waits at most its per-call wait (10 s) and then answers
    /// <c>status:"timeout"</c>; while the client's <c>timeoutMs</c> (bounded by
    /// <see cref="EdgeGatewayOptions.LongRequestTimeoutMs"/>) is not used up, ask again with what is left.
    /// </summary>
    private async Task<GatewayReply> AgentWaitAsync(GatewayCall call, CancellationToken connectionClosed)
    {
        if (!AgentWaitParams.TryRead(call.ParamsJson, out var timeoutMs, out var parameters))
            return await InvokeAsync(call, connectionClosed).ConfigureAwait(false);

        var budgetMs = Math.Min(timeoutMs, options.LongRequestTimeoutMs);
        var started = time.GetTimestamp();
        while (true)
        {
            var asked = time.GetTimestamp();
            var remainingMs = Math.Max(0, budgetMs - ElapsedMs(started));
            var reply = await InvokeAsync(call with { ParamsJson = AgentWaitParams.WithTimeout(parameters!, remainingMs) }, connectionClosed)
                .ConfigureAwait(false);
            if (!AgentWaitParams.IsStillRunning(reply) || ElapsedMs(started) >= budgetMs) return reply;
            await PaceAsync(asked, connectionClosed).ConfigureAwait(false);
        }
    }

    private Task PaceAsync(long askedAt, CancellationToken connectionClosed)
    {
        var wait = MinReaskInterval - time.GetElapsedTime(askedAt);
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, connectionClosed) : Task.CompletedTask;
    }

    private async Task<GatewayReply> InvokeAsync(GatewayCall call, CancellationToken connectionClosed)
    {
        var started = time.GetTimestamp();
        var pause = FailoverRetryMinDelay;
        while (true)
        {
            try
            {
                return await InvokeOnceAsync(call, connectionClosed).ConfigureAwait(false);
            }
            catch (Runtime.SiloUnavailableException ex) when (ElapsedMs(started) + pause.TotalMilliseconds < options.SiloFailoverWaitMs)
            {
                // The silo that held the tenant is gone or leaving; the cluster moves the tenant
                // within its failure-detection time. Ask again rather than fail the client (the
                // grain's idempotency keys make a repeated chat.send or agent safe).
                EdgeGatewayLog.RetryingAfterSiloLoss(logger, connectionId, identity.TenantId, call.Method, ex.Message);
                await Task.Delay(pause, time, connectionClosed).ConfigureAwait(false);
                // The tenant's event subscription died with its silo too: renew it first, so the
                // retried request's events (a chat run's deltas and final) reach this socket.
                await AwaitResubscribeAsync(TimeSpan.FromMilliseconds(Math.Max(0, options.SiloFailoverWaitMs - ElapsedMs(started))), connectionClosed).ConfigureAwait(false);
                pause = pause * 2 < FailoverRetryMaxDelay ? pause * 2 : FailoverRetryMaxDelay;
            }
            catch (Runtime.SiloUnavailableException ex)
            {
                EdgeGatewayLog.GrainCallFailed(logger, ex, connectionId, identity.TenantId, call.Method);
                return GrainFailureReplies.For(ex, call.Method);
            }
        }
    }

    private async Task AwaitResubscribeAsync(TimeSpan atMost, CancellationToken connectionClosed)
    {
        try
        {
            await events.ResubscribeAsync().WaitAsync(atMost, time, connectionClosed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or TaskCanceledException)
        {
            // Not yet (the silo is not declared dead yet): the request is asked again anyway.
        }
    }

    private const string SessionsSubscribeMethod = "sessions.subscribe";

    private static readonly TimeSpan FailoverRetryMinDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FailoverRetryMaxDelay = TimeSpan.FromSeconds(1);

    private async Task<GatewayReply> InvokeOnceAsync(GatewayCall call, CancellationToken connectionClosed)
    {
        var timeoutMs = options.RequestTimeoutMs;
        try
        {
            var reply = await CallGrain(call, connectionClosed).WaitAsync(TimeSpan.FromMilliseconds(timeoutMs), time, connectionClosed).ConfigureAwait(false);
            return reply ?? GrainFailureReplies.NoReply(call.Method);
        }
        catch (OperationCanceledException) when (connectionClosed.IsCancellationRequested)
        {
            throw;
        }

        catch (TimeoutException ex)
        {
            EdgeGatewayLog.GrainCallTimedOut(logger, connectionId, identity.TenantId, call.Method, timeoutMs);
            return ex is OpenClaw.Runtime.GrainCallTimeoutException ? GrainFailureReplies.For(ex, call.Method) : GrainFailureReplies.TimedOut(call.Method, timeoutMs);
        }
        catch (Exception ex) when (ex is not Runtime.SiloUnavailableException)
        {
            if (GrainFailureReplies.IsDamagedState(ex)) EdgeGatewayLog.TenantStateDamaged(logger, ex, identity.TenantId, call.Method);
            else EdgeGatewayLog.GrainCallFailed(logger, ex, connectionId, identity.TenantId, call.Method);
            return GrainFailureReplies.For(ex, call.Method);
        }
    }

    /// <summary>
    /// The one place the grain is called. The socket's <paramref name="connectionClosed"/> goes with
    /// the call: when the socket closes, the runtime drops the call if it has not started, and the
    /// grain sees the cancellation if it has.
    /// </summary>
    private Task<GatewayReply> CallGrain(GatewayCall call, CancellationToken connectionClosed) =>
        GatewayMethodCatalog.InterleavedMethods.Contains(call.Method) ? grain.InvokeInterleaved(call, connectionClosed) : grain.Invoke(call, connectionClosed);

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

    private static GatewayReply Busy(string message) =>
        GatewayReply.Failure(GatewayError.Unavailable(message) with { Retryable = true, RetryAfterMs = GrainFailureReplies.RetryAfterMs });

    private long ElapsedMs(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
