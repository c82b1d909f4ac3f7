namespace OpenClaw.Grains.Secrets;

/// <summary>The marker of a protected secret and helpers that work on optional values.</summary>
public static class TenantSecrets
{
    /// <summary>Version 1: ASP.NET Core Data Protection, purpose <see cref="Purpose"/>, base64url payload.</summary>
    public const string Prefix = "dp1:";

    /// <summary>The Data Protection purpose string; changing it makes every stored key unreadable.</summary>
    public const string Purpose = "OpenClaw.TenantSecrets.v1";

    /// <summary>The Data Protection application name shared by every silo of every cluster (isolation comes from the key ring).</summary>
    public const string ApplicationName = "OpenClaw";

    public static bool IsProtected(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public static string? ProtectOrNull(this ITenantSecretProtector protector, string? plaintext) =>
        string.IsNullOrEmpty(plaintext) ? plaintext : protector.Protect(plaintext);

    public static string? UnprotectOrNull(this ITenantSecretProtector protector, string? protectedValue) =>
        string.IsNullOrEmpty(protectedValue) ? protectedValue : protector.Unprotect(protectedValue);
}
