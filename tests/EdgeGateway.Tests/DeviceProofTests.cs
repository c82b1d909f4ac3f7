using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenClaw.EdgeGateway.Devices;
using OpenClaw.EdgeGateway.Protocol;
using OpenClaw.EdgeGateway.Tests.Infrastructure;

namespace OpenClaw.EdgeGateway.Tests;

/// <summary>PROTOCOL.md "Device proof": Ed25519 signatures over the v3/v2 payloads, auto-approval, and each refusal.</summary>
public sealed class DeviceProofTests
{
    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Signatures_captured_from_the_official_clients_verify(int conn)
    {
        // Real frames (reference transcript): the nonce is that socket's challenge, "now" is when it was signed.
        var nonce = ReferenceFrames.Challenge(conn).GetProperty("payload").GetProperty("nonce").GetString()!;
        var connect = ReadConnect(conn);

        var failure = new DeviceProofVerifier().Verify(connect, connect.Device!, nonce, connect.Device!.SignedAt + 1_000);

        Assert.Null(failure);
    }

    [Fact]
    public void Captured_signature_does_not_verify_for_another_token()
    {
        var nonce = ReferenceFrames.Challenge(7).GetProperty("payload").GetProperty("nonce").GetString()!;
        var connect = ReadConnect(7);
        var tampered = connect with { Auth = new ConnectAuth { Token = "another-token" } };

        var failure = new DeviceProofVerifier().Verify(tampered, connect.Device!, nonce, connect.Device!.SignedAt);

        Assert.Equal(DeviceProofFailure.SignatureInvalid, failure);
    }

    [Fact]
    public async Task Valid_v3_device_is_auto_approved_with_its_requested_scopes()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        var challenge = (await client.ReadChallengeAsync()).GetProperty("payload");
        var device = new TestDevice();
        var parameters = device.Attach(ConnectRequests.Params(EdgeTestServer.TokenA, ["operator.admin", "operator.write"]),
            challenge.GetProperty("nonce").GetString()!, challenge.GetProperty("ts").GetInt64());

        var response = await client.SendConnectAsync(parameters);

        Assert.True(response.GetProperty("ok").GetBoolean(), response.GetRawText());
        var auth = response.GetProperty("payload").GetProperty("auth");
        Assert.Equal("operator", auth.GetProperty("role").GetString());
        Assert.Equal(["operator.admin", "operator.write"], auth.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.True((await client.CallAsync("health")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Valid_v2_device_with_local_clock_is_accepted()
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        var challenge = (await client.ReadChallengeAsync()).GetProperty("payload");
        var device = new TestDevice();
        var parameters = device.Attach(ConnectRequests.Params(EdgeTestServer.TokenA, ["operator.read", "operator.write"]),
            challenge.GetProperty("nonce").GetString()!, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 5_000, version: 2);

        var response = await client.SendConnectAsync(parameters);

        Assert.True(response.GetProperty("ok").GetBoolean(), response.GetRawText());
    }

    [Fact]
    public async Task Bad_signature_is_refused()
    {
        var (response, status, reason) = await ConnectWithDeviceAsync((device, parameters, nonce, ts) =>
        {
            device.Attach(parameters, nonce, ts);
            parameters["device"]!["signature"] = new TestDevice().Sign("something else");
        });

        AssertDeviceError(response, "DEVICE_AUTH_SIGNATURE_INVALID", "device-signature", "device signature invalid");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("device signature invalid", reason);
    }

    [Fact]
    public async Task Signature_over_different_scopes_is_refused()
    {
        var (response, _, _) = await ConnectWithDeviceAsync((device, parameters, nonce, ts) =>
        {
            device.Attach(parameters, nonce, ts);
            parameters["scopes"] = new JsonArray("operator.admin");
        });

        AssertDeviceError(response, "DEVICE_AUTH_SIGNATURE_INVALID", "device-signature", "device signature invalid");
    }

    [Fact]
    public async Task Wrong_nonce_is_refused()
    {
        var (response, status, _) = await ConnectWithDeviceAsync((device, parameters, _, ts) =>
            device.Attach(parameters, Guid.NewGuid().ToString(), ts));

        AssertDeviceError(response, "DEVICE_AUTH_NONCE_MISMATCH", "device-nonce-mismatch", "device nonce mismatch");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Fact]
    public async Task Missing_nonce_is_refused()
    {
        var (response, _, _) = await ConnectWithDeviceAsync((device, parameters, nonce, ts) =>
        {
            device.Attach(parameters, nonce, ts);
            parameters["device"]!.AsObject().Remove("nonce");
        });

        AssertDeviceError(response, "DEVICE_AUTH_NONCE_REQUIRED", "device-nonce-missing", "device nonce required");
    }

    [Theory]
    [InlineData(-121_000)]
    [InlineData(121_000)]
    public async Task Signature_outside_the_clock_skew_is_refused(long skewMs)
    {
        var (response, status, _) = await ConnectWithDeviceAsync((device, parameters, nonce, _) =>
            device.Attach(parameters, nonce, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + skewMs));

        AssertDeviceError(response, "DEVICE_AUTH_SIGNATURE_EXPIRED", "device-signature-stale", "device signature expired");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Fact]
    public async Task Device_id_that_is_not_the_key_hash_is_refused()
    {
        var (response, _, _) = await ConnectWithDeviceAsync((device, parameters, nonce, ts) =>
            device.Attach(parameters, nonce, ts, id: new string('a', 64)));

        AssertDeviceError(response, "DEVICE_AUTH_DEVICE_ID_MISMATCH", "device-id-mismatch", "device identity mismatch");
    }

    [Fact]
    public async Task Undecodable_public_key_is_refused()
    {
        var (response, _, _) = await ConnectWithDeviceAsync((device, parameters, nonce, ts) =>
        {
            device.Attach(parameters, nonce, ts);
            parameters["device"]!["publicKey"] = "AAAA";
        });

        AssertDeviceError(response, "DEVICE_AUTH_PUBLIC_KEY_INVALID", "device-public-key", "device public key invalid");
    }

    [Fact]
    public async Task Valid_device_with_a_wrong_token_is_still_a_token_mismatch()
    {
        var (response, _, _) = await ConnectWithDeviceAsync((device, parameters, nonce, ts) =>
        {
            parameters["auth"] = new JsonObject { ["token"] = "wrong" };
            device.Attach(parameters, nonce, ts);
        });

        Assert.Equal("AUTH_TOKEN_MISMATCH", response.GetProperty("error").GetProperty("details").GetProperty("code").GetString());
    }

    private static async Task<(JsonElement Response, WebSocketCloseStatus? Status, string? Reason)> ConnectWithDeviceAsync(
        Action<TestDevice, JsonObject, string, long> prepare)
    {
        await using var server = await EdgeTestServer.StartAsync();
        await using var client = await server.OpenAsync();
        var challenge = (await client.ReadChallengeAsync()).GetProperty("payload");
        var parameters = ConnectRequests.Params(EdgeTestServer.TokenA, ["operator.write"]);
        prepare(new TestDevice(), parameters, challenge.GetProperty("nonce").GetString()!, challenge.GetProperty("ts").GetInt64());
        var response = await client.SendConnectAsync(parameters);
        var (status, reason) = await client.ClosedAsync();
        Assert.Empty(server.Grains.Grain(EdgeTestServer.TenantA).Calls);
        return (response, status, reason);
    }

    private static void AssertDeviceError(JsonElement response, string code, string reason, string message)
    {
        Assert.False(response.GetProperty("ok").GetBoolean());
        var error = response.GetProperty("error");
        Assert.Equal("INVALID_REQUEST", error.GetProperty("code").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Equal(code, error.GetProperty("details").GetProperty("code").GetString());
        Assert.Equal(reason, error.GetProperty("details").GetProperty("reason").GetString());
        Assert.DoesNotContain("PAIRING_REQUIRED", response.GetRawText());
    }

    private static ConnectParams ReadConnect(int conn)
    {
        var parameters = ReferenceFrames.Connect(conn).GetProperty("params");
        Assert.True(ConnectParamsReader.TryRead(parameters, out var connect, out var error), error);
        return connect!;
    }
}
