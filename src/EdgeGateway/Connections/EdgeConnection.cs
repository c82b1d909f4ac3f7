using System.Net.WebSockets;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// One client socket from open to close: challenge, handshake, hello-ok, then requests forwarded
/// to the tenant grain, the tenant's events and ticks sent back through the socket's single
/// writer. Nothing about the socket outlives it (the edge is stateless).
/// </summary>
internal sealed class EdgeConnection
{
    /// <summary>The id of the error response to a frame whose own id could not be read.</summary>
    internal const string InvalidFrameId = "invalid";

    /// <summary>Invalid frames of one socket that are logged one by one; the rest are counted and summed up at close.</summary>
    internal const int LoggedInvalidFrames = 10;

    private readonly WebSocket _socket;
    private readonly string _clientAddress;
    private readonly EdgeConnectionServices _services;
    private readonly EdgeGatewayOptions _options;
    private readonly WebSocketMessageReader _reader;
    private readonly ConnectionFrameWriter _writer;
    private readonly CancellationTokenSource _lifetime = new();
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>After the shutdown event, how long a socket must send nothing (and wait for nothing) before it is closed.</summary>
    private static readonly TimeSpan ShutdownQuietPeriod = TimeSpan.FromMilliseconds(250);

    private long _lastRequestAt;
    private long _shutdownAt;

    private Task<InboundMessage>? _pendingRead;
    private TenantRequestDispatcher? _dispatcher;
    private int _shuttingDown;
    private volatile bool _authenticated;
    private int _invalidFrames;

    public EdgeConnection(WebSocket socket, string connectionId, string clientAddress, EdgeConnectionServices services)
    {
        _socket = socket;
        ConnectionId = connectionId;
        _clientAddress = clientAddress;
        _services = services;
        _options = services.Options;
        _reader = new WebSocketMessageReader(socket);
        _writer = new ConnectionFrameWriter(socket, connectionId, _options.MaxBufferedBytes,
            TimeSpan.FromMilliseconds(_options.CloseTimeoutMs), services.Time, services.Logger)
        {
            Instruments = services.Instruments,
        };
    }

    public string ConnectionId { get; }

    /// <summary>
    /// The host is stopping: <c>shutdown</c> event (authenticated sockets only), the answers to the
    /// requests in flight (at most <see cref="EdgeGatewayOptions.ShutdownDrainMs"/>), then close 1012.
    /// </summary>
    public void BeginShutdown()
    {
        if (!_authenticated || Volatile.Read(ref _shuttingDown) == 1)
        {
            _writer.RequestClose(CloseCodes.ServiceRestart, CloseReasons.ServiceRestart);
            return;
        }
        var now = _services.Time.GetTimestamp();
        Volatile.Write(ref _shutdownAt, now);
        Volatile.Write(ref _lastRequestAt, now);
        Volatile.Write(ref _shuttingDown, 1);
        _writer.TryEnqueueEvent(ProtocolConstants.ShutdownEvent,
            ProtocolEvents.Shutdown(ProtocolConstants.ShutdownReason, _options.RestartExpectedMs), sequenced: true);
        _ = CloseWhenAnsweredAsync();
    }

    private async Task CloseWhenAnsweredAsync()
    {
        var deadline = _services.Time.GetTimestamp() + (long)(_options.ShutdownDrainMs / 1000.0 * _services.Time.TimestampFrequency);
        try
        {
            // Closes once nothing is in flight and the socket has been quiet for a moment: a request
            // the client sent before it read the shutdown event is still on its way, and is answered.
            while ((_dispatcher is { InFlight: > 0 } || _services.Time.GetElapsedTime(Volatile.Read(ref _lastRequestAt)) < ShutdownQuietPeriod)
                && _services.Time.GetTimestamp() < deadline && !_lifetime.IsCancellationRequested)
            {
                await Task.Delay(DrainPollInterval, _services.Time, _lifetime.Token).ConfigureAwait(false);
            }
            if (!_lifetime.IsCancellationRequested) _writer.RequestClose(CloseCodes.ServiceRestart, CloseReasons.ServiceRestart);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The socket ended meanwhile.
        }
    }

    public async Task RunAsync()
    {
        var startedAt = _services.Time.GetTimestamp();
        var logger = _services.Logger;
        _services.Instruments.ConnectionOpened();
        EdgeGatewayLog.ConnectionOpened(logger, ConnectionId, _clientAddress);
        _writer.Start();

        var nonce = Guid.NewGuid().ToString();
        _writer.TryEnqueueEvent(ProtocolConstants.ChallengeEvent, ProtocolEvents.Challenge(nonce, _services.NowMs), sequenced: false);

        ConnectionIdentity? identity = null;
        TenantLease? lease = null;
        TenantEventHub? events = null;
        TenantRequestDispatcher? dispatcher = null;
        Task credentialWatch = Task.CompletedTask;
        Task tickerTask = Task.CompletedTask;
        try
        {
            var outcome = await HandshakeAsync(nonce).ConfigureAwait(false);
            if (outcome?.Identity is null)
            {
                await DrainUntilClosedAsync().ConfigureAwait(false);
                return;
            }

            lease = _services.TenantLoads.TryOpen(outcome.Identity.TenantId);
            if (lease is null)
            {
                var failure = ConnectFailure.TooManyConnections(_options.MaxConnectionsPerTenant, retryAfterMs: 1000);
                _writer.TryEnqueueResponse(ProtocolFrames.ErrorResponse(outcome.RequestId!, failure.Error!));
                Refuse(failure);
                await DrainUntilClosedAsync().ConfigureAwait(false);
                return;
            }
            identity = outcome.Identity;
            _writer.AttachTenant(lease);
            var grain = _services.GrainFactory.GetGrain<IUserGrain>(identity.TenantId);
            events = _services.EventHubs.Join(identity.TenantId, ConnectionId, _writer, identity);
            dispatcher = new TenantRequestDispatcher(grain, identity, ConnectionId, _writer, lease, events, _options, _services.Time, logger, _services.Instruments);
            _dispatcher = dispatcher;

            var hello = HelloOk.Write(ConnectionId, _options.ServerVersion, identity.Role, identity.Scopes, _services.UptimeMs,
                _options.MaxPayloadBytes, _options.MaxBufferedBytes, _options.TickIntervalMs);
            _writer.TryEnqueueResponse(ProtocolFrames.Response(outcome.RequestId!, GatewayReply.Success(hello)));
            _authenticated = true;
            events.ReportOpened(ConnectionInfo(identity, events.SubscriberId));
            _services.Instruments.HandshakeAccepted();
            if (_services.Registry.IsStopping) BeginShutdown();
            EdgeGatewayLog.ConnectionAuthenticated(logger, ConnectionId, identity.TenantId, identity.ClientId, identity.ClientMode,
                identity.Role, identity.DeviceId ?? "none");

            tickerTask = KeepaliveTicker.RunAsync(_writer, TimeSpan.FromMilliseconds(_options.TickIntervalMs), _services.Time, _lifetime.Token);
            credentialWatch = TenantCredentialWatch.RunAsync(_services.Tokens, identity, ConnectionId, _options, _services.Time, logger,
                () => _writer.RequestClose(CloseCodes.CredentialsRevoked, CloseReasons.CredentialsRevoked), _lifetime.Token,
                () => events.NextCredentialsChange);

            await ReadRequestsAsync(dispatcher).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            EdgeGatewayLog.ConnectionAborted(logger, ex, ConnectionId);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.ConnectionFailed(logger, ex, ConnectionId);
            _writer.RequestClose(CloseCodes.InternalError, "internal error");
        }
        finally
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
            // A requested close is still sent (the writer aborts the socket if the peer stalls).
            if (!_writer.IsClosing) _writer.Complete();
            await AwaitQuietly(_writer.Completion).ConfigureAwait(false);
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted)) _socket.Abort();
            await AwaitQuietly(tickerTask).ConfigureAwait(false);
            await AwaitQuietly(credentialWatch).ConfigureAwait(false);
            if (events is not null)
            {
                await LeaveTenantEventsAsync(events, dispatcher, identity!).ConfigureAwait(false);
            }
            // Whatever the socket still held (requests in flight, queued bytes) stops counting for its tenant.
            lease?.Dispose();
            _services.Instruments.ConnectionClosed(_writer.Close?.Code, _writer.Close?.Reason == CloseReasons.SlowConsumer);
            _writer.Dispose();
            _reader.Dispose();
            _lifetime.Dispose();
            if (_invalidFrames > LoggedInvalidFrames)
            {
                EdgeGatewayLog.InvalidFramesSummary(logger, ConnectionId, _invalidFrames, _invalidFrames - LoggedInvalidFrames);
            }
            if (identity is not null)
            {
                EdgeGatewayLog.ConnectionClosed(logger, ConnectionId, identity.TenantId, (long)_services.Time.GetElapsedTime(startedAt).TotalMilliseconds);
            }
        }
    }

    /// <summary>What the tenant grain is told about this socket (<see cref="IUserGrain.ConnectionOpened"/>).</summary>
    private GatewayConnectionInfo ConnectionInfo(ConnectionIdentity identity, string subscriberId) => new()
    {
        ConnectionId = ConnectionId,
        SubscriberId = subscriberId,
        Role = identity.Role,
        Scopes = identity.Scopes,
        Caps = identity.Caps,
        ClientId = identity.ClientId,
        ClientMode = identity.ClientMode,
        DisplayName = identity.DisplayName,
        Platform = identity.Platform,
        Version = identity.Version,
        DeviceFamily = identity.DeviceFamily,
        InstanceId = identity.InstanceId,
        DeviceId = identity.DeviceId,
        RemoteIp = _clientAddress,
        ConnectedAtMs = _services.NowMs,
        Commands = identity.Commands,
        Permissions = identity.Permissions,
        PathEnv = identity.PathEnv,
    };

    /// <summary>
    /// Leaves the tenant's event hub (the last socket unsubscribes the edge) and, if this socket
    /// asked for session events, tells the grain to stop sending them to it.
    /// </summary>
    private async Task LeaveTenantEventsAsync(TenantEventHub events, TenantRequestDispatcher? dispatcher, ConnectionIdentity identity)
    {
        var timeout = TimeSpan.FromMilliseconds(_options.CloseTimeoutMs);
        await AwaitQuietly(_services.EventHubs.LeaveAsync(events, ConnectionId, timeout)).ConfigureAwait(false);
        if (dispatcher?.SessionEventsRequested != true) return;
        try
        {
            await _services.GrainFactory.GetGrain<IUserGrain>(identity.TenantId).Unsubscribe(ConnectionId)
                .WaitAsync(timeout, _services.Time).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            EdgeGatewayLog.UnsubscribeFailed(_services.Logger, ex, ConnectionId, identity.TenantId);
        }
    }

    /// <summary>Reads and decides the first frame within the handshake timeout; null or a refusal means the socket is closing.</summary>
    private async Task<HandshakeOutcome?> HandshakeAsync(string nonce)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(_options.HandshakeTimeoutMs), _services.Time);
        var read = _reader.ReadAsync(_options.MaxPreAuthPayloadBytes);
        InboundMessage first;
        try
        {
            // Waiting is cancelled, the receive is not: cancelling a receive would abort the socket
            // before the close frame could be sent.
            first = await read.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            _pendingRead = read;
            Refuse(ConnectFailure.HandshakeTimeout());
            return null;
        }

        switch (first.Kind)
        {
            case InboundMessageKind.Close:
                _writer.RequestClose(CloseCodes.Normal, "");
                await AwaitQuietly(_writer.Completion).ConfigureAwait(false);
                return null;
            case InboundMessageKind.TooLarge:
                _writer.RequestClose(CloseCodes.MessageTooBig, CloseReasons.PayloadTooLarge);
                return null;
            case InboundMessageKind.Binary:
                _writer.RequestClose(CloseCodes.UnsupportedData, CloseReasons.BinaryNotSupported);
                return null;
        }

        HandshakeOutcome outcome;
        try
        {
            outcome = await _services.Handshake.ProcessAsync(first.Payload, nonce, _clientAddress, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Refuse(ConnectFailure.HandshakeTimeout());
            return null;
        }

        if (outcome.Failure is { } failure)
        {
            if (outcome.RequestId is not null && failure.Error is not null)
            {
                _writer.TryEnqueueResponse(ProtocolFrames.ErrorResponse(outcome.RequestId, failure.Error));
            }
            Refuse(failure);
            return outcome;
        }
        return outcome;
    }

    private void Refuse(ConnectFailure failure)
    {
        _services.Instruments.HandshakeRefused(failure.DetailCode, IsAuthFailure(failure.DetailCode));
        EdgeGatewayLog.HandshakeRejected(_services.Logger, ConnectionId, _clientAddress, failure.DetailCode, failure.CloseCode, failure.CloseReason);
        _writer.RequestClose(failure.CloseCode, failure.CloseReason);
    }

    private static bool IsAuthFailure(string detailCode) =>
        detailCode is ConnectErrorCodes.AuthTokenMismatch or ConnectErrorCodes.AuthRateLimited || detailCode.StartsWith("DEVICE_AUTH", StringComparison.Ordinal);

    /// <summary>After a refused handshake: read (and ignore) until the peer answers our close, or the close timeout aborts the socket.</summary>
    private async Task DrainUntilClosedAsync()
    {
        var read = _pendingRead;
        _pendingRead = null;
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var message = await (read ?? _reader.ReadAsync(_options.MaxPreAuthPayloadBytes)).ConfigureAwait(false);
            read = null;
            if (message.Kind == InboundMessageKind.Close)
            {
                _writer.RequestClose(CloseCodes.Normal, "");
                await AwaitQuietly(_writer.Completion).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task ReadRequestsAsync(TenantRequestDispatcher dispatcher)
    {
        while (true)
        {
            var message = await _reader.ReadAsync(_options.MaxPayloadBytes).ConfigureAwait(false);
            switch (message.Kind)
            {
                case InboundMessageKind.Close:
                    // The peer closes (or answers our close): answer, let the writer finish, done.
                    _writer.RequestClose(CloseCodes.Normal, "");
                    await AwaitQuietly(_writer.Completion).ConfigureAwait(false);
                    return;
                case InboundMessageKind.TooLarge:
                    _writer.RequestClose(CloseCodes.MessageTooBig, CloseReasons.PayloadTooLarge, immediately: true);
                    continue;
                case InboundMessageKind.Binary:
                    _writer.RequestClose(CloseCodes.UnsupportedData, CloseReasons.BinaryNotSupported);
                    continue;
                case InboundMessageKind.Text when !_writer.IsClosing:
                    HandleRequestFrame(message.Payload, dispatcher);
                    continue;
            }
        }
    }

    private void HandleRequestFrame(ReadOnlyMemory<byte> payload, TenantRequestDispatcher dispatcher)
    {
        Volatile.Write(ref _lastRequestAt, _services.Time.GetTimestamp());
        _services.Instruments.FrameReceived();
        var parsed = InboundFrameParser.Parse(payload);
        if (parsed.Request is not { } request)
        {
            // A client's mistake: logged without a stack trace, and only the first few per socket.
            if (++_invalidFrames <= LoggedInvalidFrames) EdgeGatewayLog.InvalidFrame(_services.Logger, ConnectionId, parsed.Error!);
            _writer.TryEnqueueResponse(ProtocolFrames.ErrorResponse(parsed.ErrorId ?? InvalidFrameId, GatewayError.InvalidRequest(parsed.Error!)));
            return;
        }

        switch (request.Method)
        {
            case ProtocolConstants.ConnectMethod:
                _writer.TryEnqueueResponse(ProtocolFrames.ErrorResponse(request.Id,
                    GatewayError.InvalidRequest("invalid request: connect is only valid as the first request")));
                return;
            case GatewayMethodCatalog.AgentFinal:
                // Internal to the edge ↔ grain contract; clients see it as any unknown method.
                _writer.TryEnqueueResponse(ProtocolFrames.ErrorResponse(request.Id,
                    GatewayError.InvalidRequest($"unknown method: {request.Method}")));
                return;
            default:
                if (Volatile.Read(ref _shuttingDown) == 1 && _services.Time.GetElapsedTime(Volatile.Read(ref _shutdownAt)) >= ShutdownQuietPeriod)
                {
                    // Sent well after the shutdown event (one sent before the client read it is
                    // still served): this edge will not start it; another one will.
                    _writer.TryEnqueueResponse(ProtocolFrames.ErrorResponse(request.Id, GatewayError.Unavailable(
                        "the gateway is restarting; send it again after reconnecting") with { Retryable = true, RetryAfterMs = _options.RestartExpectedMs }));
                    return;
                }
                dispatcher.Dispatch(request, _lifetime.Token);
                return;
        }
    }

    private static async Task AwaitQuietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ending anyway; failures were logged where they happened.
        }
    }
}
