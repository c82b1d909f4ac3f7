using Microsoft.AspNetCore.Http;

namespace OpenClaw.Operations.Admin;

/// <summary>The admin API's RFC 9457 answers, in one place so that every route words them alike.</summary>
internal static class AdminProblems
{
    public static IResult Field(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    public static IResult Fields(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, title: "The request is not valid.");

    public static IResult TenantNotFound(string tenantId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Tenant not found.", detail: $"There is no tenant '{tenantId}'.");

    public static IResult TokenNotFound(string tenantId, string tokenId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Token not found.", detail: $"Tenant '{tenantId}' has no active token '{tokenId}'.");

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: detail);

    public static IResult TooLarge(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large.", detail: detail);

    public static IResult BadArchive(string detail) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["archive"] = [detail] }, title: "The archive is not valid.");
}
