namespace OpenClaw.Grains.Secrets;

/// <summary>
/// Encrypts tenants' secrets (LLM API keys) for storage: registries and grain state keep only the
/// protected form; the provider call site unprotects it right before a request. Every silo that
/// shares the key ring reads what another wrote.
/// </summary>
public interface ITenantSecretProtector
{
    /// <summary>The protected form of <paramref name="plaintext"/> (<see cref="TenantSecrets.Prefix"/> + ciphertext); an already protected value is returned as it is.</summary>
    string Protect(string plaintext);

    /// <summary>The plaintext of a protected value; a value without the prefix (legacy plaintext) is returned as it is.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The value was protected with a key this key ring does not hold, or was tampered with.</exception>
    string Unprotect(string protectedValue);
}
