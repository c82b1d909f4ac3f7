using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OpenClaw.Operations.Admin;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// Operator access to the dashboard: the service token as a Bearer header, or a login session. A
/// session is a cookie holding a Data Protection ticket (encrypted and authenticated, with an
/// expiry) whose content is a digest of the service token it was made with: never the token
/// itself, and changing the token ends every session. The cookie is HttpOnly, SameSite=Strict,
/// scoped to <c>/dashboard</c>, and Secure on HTTPS.
/// </summary>
internal sealed class DashboardSession(
    IDataProtectionProvider protection,
    IOptionsMonitor<ServiceTokenOptions> tokens,
    IOptions<DashboardOptions> options,
    TimeProvider time)
{
    public const string CookieName = "openclaw_dashboard";
    public const string CookiePath = "/dashboard";

    /// <summary>The header every state-changing request made with the cookie must carry (a cross-site form cannot set it).</summary>
    public const string CsrfHeader = "X-OpenClaw-Dashboard";

    public const int MaxTokenLength = 1024;

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("OpenClaw.Operations.Dashboard.Session.v1").ToTimeLimitedDataProtector();

    /// <summary>True when a service token is configured (without one, the dashboard refuses everyone).</summary>
    public bool Enabled => !string.IsNullOrEmpty(tokens.CurrentValue.ServiceToken);

    /// <summary>Compares over SHA-256 digests in constant time: neither length nor a matching prefix shows in the timing.</summary>
    public bool IsServiceToken(string? presented)
    {
        var configured = tokens.CurrentValue.ServiceToken;
        if (string.IsNullOrEmpty(configured) || string.IsNullOrEmpty(presented) || presented.Length > MaxTokenLength) return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }

    public bool HasBearer(HttpRequest request)
    {
        const string scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && IsServiceToken(header[scheme.Length..].Trim());
    }

    public bool HasSession(HttpRequest request)
    {
        var ticket = request.Cookies[CookieName];
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 4096 || !Enabled) return false;
        try
        {
            var content = _protector.Unprotect(ticket, out var expiresAt);
            return expiresAt > time.GetUtcNow() && CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(content), Encoding.ASCII.GetBytes(TokenDigest()));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void SignIn(HttpContext context)
    {
        var lifetime = TimeSpan.FromMinutes(options.Value.SessionMinutes);
        var ticket = _protector.Protect(TokenDigest(), time.GetUtcNow() + lifetime);
        context.Response.Cookies.Append(CookieName, ticket, CookieOptions(context, lifetime));
    }

    public static void SignOut(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, CookieOptions(context, null));

    /// <summary>A digest of the current token under a purpose label (not usable as the token, not the admin API's hash).</summary>
    private string TokenDigest() =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("openclaw-dashboard-session\n" + tokens.CurrentValue.ServiceToken)));

    private static CookieOptions CookieOptions(HttpContext context, TimeSpan? lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = CookiePath,
        MaxAge = lifetime,
        IsEssential = true,
    };
}
