using OpenClaw.EdgeGateway.Protocol;

namespace OpenClaw.EdgeGateway.Devices;

/// <summary>Why a device proof was refused: the <c>details.code</c>, <c>details.reason</c> and message sent to the client.</summary>
internal sealed record DeviceProofFailure(string Code, string Reason, string Message)
{
    public static readonly DeviceProofFailure PublicKeyInvalid = new(ConnectErrorCodes.DevicePublicKeyInvalid, "device-public-key", "device public key invalid");
    public static readonly DeviceProofFailure DeviceIdMismatch = new(ConnectErrorCodes.DeviceIdMismatch, "device-id-mismatch", "device identity mismatch");
    public static readonly DeviceProofFailure SignatureExpired = new(ConnectErrorCodes.DeviceSignatureExpired, "device-signature-stale", "device signature expired");
    public static readonly DeviceProofFailure NonceRequired = new(ConnectErrorCodes.DeviceNonceRequired, "device-nonce-missing", "device nonce required");
    public static readonly DeviceProofFailure NonceMismatch = new(ConnectErrorCodes.DeviceNonceMismatch, "device-nonce-mismatch", "device nonce mismatch");
    public static readonly DeviceProofFailure SignatureInvalid = new(ConnectErrorCodes.DeviceSignatureInvalid, "device-signature", "device signature invalid");
}
