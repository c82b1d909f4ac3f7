namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The rule for tenant ids: 1–64 characters of <c>[A-Za-z0-9._-]</c>, not <c>.</c> or <c>..</c>.
/// Such an id is safe as a directory name, a grain key and a URL segment.
/// </summary>
public static class TenantIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? tenantId) => Problem(tenantId) is null;

    /// <summary>Returns <paramref name="tenantId"/> when valid; otherwise throws <see cref="ArgumentException"/> saying why.</summary>
    public static string Validate(string? tenantId, string paramName = "tenantId")
    {
        if (Problem(tenantId) is { } problem)
        {
            throw new ArgumentException(
                $"Invalid tenant id '{Printable(tenantId)}': {problem}. Tenant ids are 1-{MaxLength} characters of A-Z, a-z, 0-9, '.', '_' and '-', and not '.' or '..'.",
                paramName);
        }

        return tenantId!;
    }

    private static string? Problem(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId))
        {
            return "it is empty";
        }

        if (tenantId.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        if (tenantId is "." or "..")
        {
            return "'.' and '..' are reserved";
        }

        foreach (var c in tenantId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return "it contains a character other than letters, digits, '.', '_' and '-'";
            }
        }

        return null;
    }

    private static string Printable(string? tenantId)
    {
        if (tenantId is null)
        {
            return "(null)";
        }

        var shown = tenantId.Length > 80 ? tenantId[..80] + "…" : tenantId;
        return new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
