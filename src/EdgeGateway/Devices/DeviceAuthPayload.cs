using System.Globalization;

namespace OpenClaw.EdgeGateway.Devices;

/// <summary>
/// The strings a device signs (<c>packages/gateway-client/src/device-auth.ts</c>):
/// v3 <c>v3|deviceId|client.id|client.mode|role|scopes|signedAt|token|nonce|platform|deviceFamily</c>
/// (platform and device family trimmed and lower-cased) and legacy v2
/// <c>v2|deviceId|client.id|client.mode|role|scopes|signedAt|token|nonce</c>; scopes are joined with ",".
/// </summary>
internal static class DeviceAuthPayload
{
    public static string BuildV3(
        string deviceId, string clientId, string clientMode, string role, IReadOnlyList<string> scopes,
        long signedAtMs, string token, string nonce, string? platform, string? deviceFamily) =>
        string.Join('|',
            "v3", deviceId, clientId, clientMode, role, string.Join(',', scopes),
            signedAtMs.ToString(CultureInfo.InvariantCulture), token, nonce,
            NormalizeMetadata(platform), NormalizeMetadata(deviceFamily));

    public static string BuildV2(
        string deviceId, string clientId, string clientMode, string role, IReadOnlyList<string> scopes,
        long signedAtMs, string token, string nonce) =>
        string.Join('|',
            "v2", deviceId, clientId, clientMode, role, string.Join(',', scopes),
            signedAtMs.ToString(CultureInfo.InvariantCulture), token, nonce);

    private static string NormalizeMetadata(string? value) => value?.Trim().ToLowerInvariant() ?? "";
}
