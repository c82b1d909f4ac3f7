using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenClaw.EdgeGateway.Auth;
using OpenClaw.EdgeGateway.Devices;
using OpenClaw.EdgeGateway.Diagnostics;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.EdgeGateway.Connections;

/// <summary>
/// Decides a socket's first frame (PROTOCOL.md §2): it must be a <c>connect</c> request with valid
/// params; the protocol range must include v4; the client address gets a slot of its auth budget
/// (<see cref="AuthThrottle"/>: possibly after a wait, or AUTH_RATE_LIMITED); the token
/// (<c>auth.token</c>, else <c>auth.password</c>) must belong to a tenant; a device, when
/// present, must prove itself. A valid device is auto-approved and a device-less connect keeps
/// its requested scopes (the tenant token is full operator authority, PROTOCOL.md §3). A
/// <c>role:"node"</c> connect authenticates the same way (never PAIRING_REQUIRED) and gets no scopes.
/// </summary>
internal sealed class ConnectHandshake(
    TokenDirectory tokens,
    AuthThrottle throttle,
    DeviceProofVerifier deviceVerifier,
    TimeProvider time,
    ILogger<ConnectHandshake> logger)
{
    /// <summary>
    /// Processes the first frame. <paramref name="frame"/> is read before the first await, so the
    /// caller's buffer may be reused afterwards.
    /// </summary>
    public async Task<HandshakeOutcome> ProcessAsync(ReadOnlyMemory<byte> frame, string challengeNonce, string clientAddress, CancellationToken cancellationToken)
    {
        var (requestId, connect, failure) = Parse(frame);
        if (failure is not null) return HandshakeOutcome.Refused(requestId, failure);

        if (connect!.MinProtocol > ProtocolConstants.ProtocolVersion || connect.MaxProtocol < ProtocolConstants.ProtocolVersion)
        {
            return HandshakeOutcome.Refused(requestId, ConnectFailure.ProtocolMismatch());
        }

        var permit = await throttle.AcquireAsync(clientAddress, cancellationToken).ConfigureAwait(false);
        if (permit.IsRefused)
        {
            EdgeGatewayLog.AuthRateLimited(logger, clientAddress, permit.RetryAfterMs);
            return HandshakeOutcome.Refused(requestId, ConnectFailure.RateLimited(permit.RetryAfterMs));
        }

        var token = connect.Auth.SharedSecret;
        string? tenantId;
        try
        {
            tenantId = await tokens.FindTenantAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            permit.Release();
            throw;
        }
        catch (Exception ex)
        {
            permit.Release();
            EdgeGatewayLog.TenantLookupFailed(logger, ex, clientAddress);
            return HandshakeOutcome.Refused(requestId, ConnectFailure.AuthUnavailable(retryAfterMs: 1000));
        }

        if (tenantId is null || token is null)
        {
            permit.Failed();
            return HandshakeOutcome.Refused(requestId, ConnectFailure.TokenMismatch());
        }
        // A right token never counts against the address, whatever follows.
        permit.Release();

        if (connect.Device is { } device)
        {
            var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (deviceVerifier.Verify(connect, device, challengeNonce, nowMs) is { } deviceFailure)
            {
                return HandshakeOutcome.Refused(requestId, ConnectFailure.Device(deviceFailure.Code, deviceFailure.Reason, deviceFailure.Message));
            }
        }

        return HandshakeOutcome.Accepted(requestId!, new ConnectionIdentity
        {
            TenantId = tenantId,
            Token = token,
            Role = connect.Role,
            // A node is a machine, not an operator: whatever it asked for, it holds no operator scope
            // (the device proof above still covers the scopes it sent).
            Scopes = connect.Role == GatewayRoles.Node ? [] : connect.Scopes,
            ClientId = connect.Client.Id,
            ClientMode = connect.Client.Mode,
            DeviceId = connect.Device?.Id,
            Caps = connect.Caps,
            DisplayName = connect.Client.DisplayName,
            Platform = connect.Client.Platform,
            Version = connect.Client.Version,
            DeviceFamily = connect.Client.DeviceFamily,
            InstanceId = connect.Client.InstanceId,
            Commands = connect.Commands,
            Permissions = connect.Permissions,
            PathEnv = connect.PathEnv,
        });
    }

    private static (string? RequestId, ConnectParams? Connect, ConnectFailure? Failure) Parse(ReadOnlyMemory<byte> frame)
    {
        // Malformed JSON, including strings that do not decode, is not a request at all.
        frame = JsonTextCheck.WithoutBom(frame);
        if (JsonTextCheck.FindProblem(frame.Span) is not null) return (null, null, ConnectFailure.NotARequest());
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, ProtocolJson.DocumentOptions);
        }
        catch (JsonException)
        {
            return (null, null, ConnectFailure.NotARequest());
        }

        using (document)
        {
            if (!InboundFrameParser.TryReadEnvelope(document.RootElement, out var id, out var method, out var parameters, out _))
            {
                return (id, null, id is null ? ConnectFailure.NotARequest() : ConnectFailure.NotConnect());
            }
            if (method != ProtocolConstants.ConnectMethod) return (id, null, ConnectFailure.NotConnect());
            if (!ConnectParamsReader.TryRead(parameters, out var connect, out var problem)) return (id, null, ConnectFailure.InvalidParams(problem!));
            return (id, connect, null);
        }
    }
}
