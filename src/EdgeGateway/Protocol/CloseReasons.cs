using System.Text;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>Close reasons the edge sends, and the 123-byte limit a close reason must respect.</summary>
internal static class CloseReasons
{
    public const int MaxBytes = 123;

    public const string FirstRequestMustBeConnect = "invalid handshake: first request must be connect";
    public const string HandshakeTimeout = "handshake timeout";
    public const string ProtocolMismatch = "protocol mismatch";
    public const string PayloadTooLarge = "max payload size exceeded";
    public const string BinaryNotSupported = "binary frames are not supported: send UTF-8 JSON text frames";
    public const string SlowConsumer = "slow consumer";
    public const string CredentialsRevoked = "credentials revoked";
    public const string ServiceRestart = ProtocolConstants.ShutdownReason;
    public const string AuthUnavailable = "gateway auth unavailable, retry later";
    public const string TooManyConnections = "too many connections for this tenant";

    /// <summary>Cuts <paramref name="reason"/> to at most 123 UTF-8 bytes without splitting a character.</summary>
    public static string Truncate(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxBytes) return reason;
        var builder = new StringBuilder();
        var bytes = 0;
        foreach (var rune in reason.EnumerateRunes())
        {
            var length = rune.Utf8SequenceLength;
            if (bytes + length > MaxBytes) break;
            bytes += length;
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }
}
