using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using OpenClaw.EdgeGateway.Protocol;

namespace OpenClaw.EdgeGateway.Devices;

/// <summary>
/// Verifies the signed device identity of a <c>connect</c> request, in the order the official
/// gateway checks it: the id is the SHA-256 of the public key; <c>signedAt</c> is within ±120 s
/// of now; the nonce is this socket's challenge nonce; the v3 (else v2) payload verifies under
/// the key (Ed25519). A verified device is auto-approved for the tenant: the edge never answers
/// PAIRING_REQUIRED (PROTOCOL.md §3).
/// </summary>
internal sealed class DeviceProofVerifier
{
    public const long MaxClockSkewMs = 120_000;

    /// <summary>Null when the proof is valid; otherwise why it is not.</summary>
    public DeviceProofFailure? Verify(ConnectParams connect, ConnectDevice device, string challengeNonce, long nowMs)
    {
        if (!DevicePublicKey.TryDecode(device.PublicKey, out var rawKey)) return DeviceProofFailure.PublicKeyInvalid;

        if (!string.Equals(DevicePublicKey.DeriveDeviceId(rawKey), device.Id, StringComparison.Ordinal)) return DeviceProofFailure.DeviceIdMismatch;

        if (Math.Abs(nowMs - device.SignedAt) > MaxClockSkewMs) return DeviceProofFailure.SignatureExpired;

        if (string.IsNullOrEmpty(device.Nonce)) return DeviceProofFailure.NonceRequired;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(device.Nonce), Encoding.UTF8.GetBytes(challengeNonce)))
        {
            return DeviceProofFailure.NonceMismatch;
        }

        if (!Base64Url.TryDecode(device.Signature, out var signature) || signature.Length != 64) return DeviceProofFailure.SignatureInvalid;

        var client = connect.Client;
        var token = connect.Auth.SignedToken;
        var v3 = DeviceAuthPayload.BuildV3(device.Id, client.Id, client.Mode, connect.Role, connect.Scopes,
            device.SignedAt, token, device.Nonce, client.Platform, client.DeviceFamily);
        if (VerifyEd25519(rawKey, v3, signature)) return null;

        var v2 = DeviceAuthPayload.BuildV2(device.Id, client.Id, client.Mode, connect.Role, connect.Scopes,
            device.SignedAt, token, device.Nonce);
        return VerifyEd25519(rawKey, v2, signature) ? null : DeviceProofFailure.SignatureInvalid;
    }

    private static bool VerifyEd25519(byte[] rawKey, string payload, byte[] signature)
    {
        try
        {
            var signer = new Ed25519Signer();
            signer.Init(false, new Ed25519PublicKeyParameters(rawKey, 0));
            var message = Encoding.UTF8.GetBytes(payload);
            signer.BlockUpdate(message, 0, message.Length);
            return signer.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }
}
