using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SsoVault.Core.Errors;

namespace SsoVault.Server.Errors;

/// <summary>Writes a problem as <c>application/problem+json</c>, with the challenge header on 401.</summary>
internal static class ProblemResponse
{
    public const string ContentType = "application/problem+json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task WriteAsync(HttpContext httpContext, ProblemDetails problem, CancellationToken cancellationToken)
    {
        var response = httpContext.Response;
        response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        response.Headers.CacheControl = "no-store";
        await response.WriteAsJsonAsync(problem, Options, ContentType, cancellationToken);
    }

    public static Task WriteAsync(HttpContext httpContext, SsoErrorCode code, string detail, string? hint, CancellationToken cancellationToken) =>
        WriteAsync(httpContext, ProblemExceptionHandler.Create(code, ProblemCatalog.StatusOf(code), detail, hint), cancellationToken);
}
