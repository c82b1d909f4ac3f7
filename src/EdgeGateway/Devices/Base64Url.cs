namespace OpenClaw.EdgeGateway.Devices;

/// <summary>Decodes base64url (RFC 4648 §5, padding optional); standard base64 is accepted too.</summary>
internal static class Base64Url
{
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length > 4096) return false;
        var trimmed = text.Trim().TrimEnd('=');
        var chars = new char[trimmed.Length + (4 - trimmed.Length % 4) % 4];
        for (var i = 0; i < trimmed.Length; i++)
        {
            chars[i] = trimmed[i] switch
            {
                '-' => '+',
                '_' => '/',
                var c => c,
            };
        }
        for (var i = trimmed.Length; i < chars.Length; i++) chars[i] = '=';
        try
        {
            bytes = Convert.FromBase64CharArray(chars, 0, chars.Length);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
