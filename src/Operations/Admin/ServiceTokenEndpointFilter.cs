using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// Admits a request only with <c>Authorization: Bearer &lt;service token&gt;</c>. The comparison is
/// over SHA-256 digests in constant time, so neither the token's length nor a matching prefix shows
/// in the timing. Refusals are RFC 9457 problem details with status 401 and change nothing.
/// </summary>
internal sealed class ServiceTokenEndpointFilter(IOptionsMonitor<ServiceTokenOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var configured = options.CurrentValue.ServiceToken;
        if (string.IsNullOrEmpty(configured))
            return Refuse("The admin API is disabled: no service token is configured (set OPENCLAW_SERVICE_TOKEN or multiTenant:serviceToken).");

        var presented = BearerToken(context.HttpContext.Request.Headers.Authorization.ToString());
        if (presented is null || !TokensEqual(configured, presented))
            return Refuse("Missing or wrong service token: send Authorization: Bearer <service token>.");
        return await next(context).ConfigureAwait(false);
    }

    private static string? BearerToken(string header)
    {
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    private static bool TokensEqual(string configured, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    private static IResult Refuse(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
}
