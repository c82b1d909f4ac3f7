using Microsoft.AspNetCore.DataProtection;

namespace OpenClaw.Grains.Secrets;

/// <summary><see cref="ITenantSecretProtector"/> on ASP.NET Core Data Protection with the fixed purpose <see cref="TenantSecrets.Purpose"/>.</summary>
public sealed class DataProtectionTenantSecretProtector(IDataProtectionProvider provider) : ITenantSecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector(TenantSecrets.Purpose);

    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return TenantSecrets.IsProtected(plaintext) ? plaintext : TenantSecrets.Prefix + _protector.Protect(plaintext);
    }

    public string Unprotect(string protectedValue)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        return TenantSecrets.IsProtected(protectedValue) ? _protector.Unprotect(protectedValue[TenantSecrets.Prefix.Length..]) : protectedValue;
    }
}
