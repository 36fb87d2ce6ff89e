using Microsoft.AspNetCore.Http;
using SsoVault.Core.Errors;

namespace SsoVault.Server.Errors;

/// <summary>
/// Problems the framework makes from a bare status code (an unknown route, a Content-Type an endpoint does not accept,
/// a method not allowed) get the same stable <c>code</c>, <c>type</c> and a <c>hint</c> as ours, so clients read every
/// refusal the same way.
/// </summary>
internal static class StatusCodeProblems
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var code = status switch
        {
            StatusCodes.Status401Unauthorized => SsoErrorCode.Unauthenticated,
            StatusCodes.Status403Forbidden => SsoErrorCode.AccessDenied,
            StatusCodes.Status404NotFound => SsoErrorCode.NotFound,
            StatusCodes.Status409Conflict => SsoErrorCode.Conflict,
            >= 400 and < 500 => SsoErrorCode.InvalidInput,
            _ => (SsoErrorCode?)null,
        };
        if (code is null)
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Type = ProblemCatalog.TypeOf(code.Value);
        problem.Detail ??= status switch
        {
            StatusCodes.Status404NotFound => $"There is no endpoint {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}.",
            StatusCodes.Status415UnsupportedMediaType => $"{request.Method} {request.Path} does not accept Content-Type '{request.ContentType ?? "none"}'.",
            _ => problem.Title ?? $"The request was refused ({status}).",
        };
        problem.Extensions["code"] = code.Value.ToString();
        problem.Extensions["hint"] = "See /openapi/v1.json for the endpoints, their methods and the Content-Type each accepts.";
    }
}
