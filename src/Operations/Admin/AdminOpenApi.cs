using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace OpenClaw.Operations.Admin;

/// <summary>
/// The admin API's OpenAPI document at <see cref="DocumentPath"/>, generated from the routes
/// (Microsoft.AspNetCore.OpenApi). It is public: it describes routes and shapes that are the same
/// for every deployment and are published with the source, holds no tenant data and no secret,
/// and tools (the CLI, client generators) can fetch it before they have a service token. Every
/// route it describes still requires the token, which the document declares as a bearer scheme.
/// </summary>
internal static class AdminOpenApi
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddAdminOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OpenClaw admin API",
                    Version = "v1",
                    Description = "Tenants, tokens, archives and cluster operations under /admin/v1. Every route needs Authorization: Bearer <service token> (OPENCLAW_SERVICE_TOKEN). Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["serviceToken"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The cluster's service token (OPENCLAW_SERVICE_TOKEN / multiTenant:serviceToken).",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("serviceToken", document)] = [] });
                return Task.CompletedTask;
            });
        });

    public static void MapAdminOpenApi(this IEndpointRouteBuilder app) => app.MapOpenApi(DocumentPath);
}
