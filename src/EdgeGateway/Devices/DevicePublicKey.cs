using System.Security.Cryptography;

namespace OpenClaw.EdgeGateway.Devices;

/// <summary>
/// A device's Ed25519 public key as clients send it: the raw 32 bytes in base64url (current
/// clients) or a PEM SPKI block (older clients). The device id is the lowercase hex SHA-256 of the
/// raw key.
/// </summary>
internal static class DevicePublicKey
{
    public const int RawLength = 32;

    /// <summary>DER prefix of an Ed25519 SubjectPublicKeyInfo (OID 1.3.101.112) before the 32 key bytes.</summary>
    private static readonly byte[] SpkiPrefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    public static bool TryDecode(string text, out byte[] rawKey)
    {
        rawKey = [];
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (text.Contains("-----BEGIN", StringComparison.Ordinal)) return TryDecodePem(text, out rawKey);
        if (!Base64Url.TryDecode(text, out var bytes)) return false;
        if (bytes.Length == RawLength)
        {
            rawKey = bytes;
            return true;
        }
        return TryUnwrapSpki(bytes, out rawKey);
    }

    public static string DeriveDeviceId(ReadOnlySpan<byte> rawKey) => Convert.ToHexStringLower(SHA256.HashData(rawKey));

    private static bool TryDecodePem(string pem, out byte[] rawKey)
    {
        rawKey = [];
        var body = string.Concat(pem
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("-----", StringComparison.Ordinal)));
        return Base64Url.TryDecode(body, out var der) && TryUnwrapSpki(der, out rawKey);
    }

    private static bool TryUnwrapSpki(byte[] der, out byte[] rawKey)
    {
        rawKey = [];
        if (der.Length != SpkiPrefix.Length + RawLength || !der.AsSpan(0, SpkiPrefix.Length).SequenceEqual(SpkiPrefix)) return false;
        rawKey = der[SpkiPrefix.Length..];
        return true;
    }
}
