using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenClaw.Grains.ControlPlane.Monitor.Webhooks;

/// <summary>
/// Signs webhook bodies so receivers can check they come from this cluster and were not replayed:
/// <c>X-OpenClaw-Signature: sha256=&lt;hex HMAC-SHA256(secret, "&lt;timestamp&gt;." + body bytes)&gt;</c>,
/// with <c>X-OpenClaw-Timestamp: &lt;unix seconds&gt;</c> (new on every attempt). Receivers recompute
/// it over the exact bytes they received and refuse timestamps more than a few minutes off.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-OpenClaw-Signature";
    public const string TimestampHeader = "X-OpenClaw-Timestamp";
    public const string DeliveryHeader = "X-OpenClaw-Delivery";
    public const string EventHeader = "X-OpenClaw-Event";
    public const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> secret, long timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return Prefix + Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
