using System.Security.Cryptography;
using System.Text;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// Gateway tokens: issued as <c>oct_</c> + 32 random bytes (256 bits) in base64url, stored only as
/// the lowercase hex SHA-256 of their UTF-8 text, compared in constant time.
/// </summary>
public static class TenantTokens
{
    public const string Prefix = "oct_";
    public const int RandomBytes = 32;
    public const int MaxLength = 512;

    /// <summary>Longest token name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest overlap a rotation may give the old token.</summary>
    public static readonly TimeSpan MaxRotationOverlap = TimeSpan.FromDays(30);

    /// <summary>The prefix of a token id (<see cref="IdOf"/>).</summary>
    public const string IdPrefix = "tok_";

    private const int IdHashCharacters = 16;

    /// <summary>Shortest token a production silo accepts from configuration: 32 hex characters are 128 bits.</summary>
    public const int MinStrongLength = 32;

    /// <summary>Fewer distinct characters than this marks a long token as repetitive (<c>aaaa…</c>, <c>passwordpassword…</c>).</summary>
    public const int MinStrongDistinctCharacters = 8;

    /// <summary>
    /// True when a caller-chosen token is long and varied enough to stand for a random one of at
    /// least 128 bits (a length and repetition check: it cannot tell a random string from a long phrase).
    /// </summary>
    public static bool IsStrong(string? plaintextToken) =>
        plaintextToken is { Length: >= MinStrongLength } token && token.Distinct().Count() >= MinStrongDistinctCharacters;

    /// <summary>A new random token (shown once to whoever asked for it).</summary>
    public static string Issue()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The stored form of a token: lowercase hex SHA-256 of its UTF-8 bytes (64 characters).</summary>
    public static string Hash(string plaintextToken)
    {
        ArgumentNullException.ThrowIfNull(plaintextToken);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(plaintextToken), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>True for a stored hash: 64 lowercase hex characters.</summary>
    public static bool IsHash(string? hash) => hash is { Length: 64 } && hash.All(char.IsAsciiHexDigitLower);

    /// <summary>The stable, non-secret id of a token: <c>tok_</c> + the first 16 hex characters of its hash (64 bits, not enough to find the token).</summary>
    public static string IdOf(string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return IdPrefix + hash[..IdHashCharacters];
    }

    /// <summary>True for something shaped like a token id.</summary>
    public static bool IsTokenId(string? tokenId) =>
        tokenId is { Length: 20 } && tokenId.StartsWith(IdPrefix, StringComparison.Ordinal) && tokenId.AsSpan(IdPrefix.Length).ContainsAnyExcept("0123456789abcdef") is false;

    /// <summary>Compares two stored hashes in constant time.</summary>
    public static bool HashesEqual(string storedHash, string candidateHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        ArgumentNullException.ThrowIfNull(candidateHash);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(candidateHash));
    }

    /// <summary>True when a caller-chosen token may be registered: 1–512 printable ASCII characters without spaces.</summary>
    public static bool IsAcceptable(string? plaintextToken)
    {
        if (string.IsNullOrEmpty(plaintextToken) || plaintextToken.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in plaintextToken)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <see cref="IsAcceptable"/> is false (never echoing the token).</summary>
    public static void ValidateForRegistration(string? plaintextToken, string paramName = "plaintextToken")
    {
        if (!IsAcceptable(plaintextToken))
        {
            throw new ArgumentException(
                $"A gateway token must be 1-{MaxLength} printable ASCII characters without spaces.", paramName);
        }
    }
}
