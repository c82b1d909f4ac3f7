using Microsoft.AspNetCore.Http;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// Headers on every dashboard response: a strict Content-Security-Policy (scripts, styles and
/// fetches from this origin only, no inline script, no framing), no MIME sniffing, no referrer,
/// and no caching (the API's figures and the tenant view are for the operator only).
/// </summary>
internal sealed class DashboardSecurityHeadersFilter : IEndpointFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return next(context);
    }
}

/// <summary>
/// The API's gate: the service token as a Bearer header, or a login session. State-changing calls
/// (anything but GET/HEAD) made with the session cookie must also carry
/// <see cref="DashboardSession.CsrfHeader"/>. Refusals are RFC 9457 problem details with 401 (403 for a missing CSRF header).
/// </summary>
internal sealed class DashboardApiAccessFilter(DashboardSession session) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (session.HasBearer(request)) return next(context);
        if (!session.HasSession(request))
        {
            return ValueTask.FromResult<object?>(Results.Problem(
                detail: session.Enabled
                    ? "Log in at /dashboard/login or send Authorization: Bearer <service token>."
                    : "The dashboard is disabled: no service token is configured (set OPENCLAW_SERVICE_TOKEN or multiTenant:serviceToken).",
                statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && request.Headers[DashboardSession.CsrfHeader].ToString() != "1")
        {
            return ValueTask.FromResult<object?>(Results.Problem(
                detail: $"State-changing dashboard calls need the {DashboardSession.CsrfHeader}: 1 header.",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"));
        }

        return next(context);
    }
}
