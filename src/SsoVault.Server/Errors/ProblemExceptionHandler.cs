using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using SsoVault.Core.Errors;
using SsoVault.Server.Diagnostics;

namespace SsoVault.Server.Errors;

/// <summary>
/// The one boundary where failures become HTTP: an <see cref="SsoException"/> becomes an RFC 7807 problem with its
/// code's status, a malformed body becomes 400 naming the field and position, anything else is a bug: 500 with a
/// generic message (the details go to the log under the trace id, never to the caller).
/// </summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        var problem = exception switch
        {
            SsoException e => FromSsoException(e, request, traceId),
            BadHttpRequestException e => FromBadRequest(e),
            _ => null,
        };
        if (problem is null)
        {
            logger.Unexpected(exception, request.Method, request.Path, traceId);
            problem = Create(SsoErrorCode.InvalidInput, StatusCodes.Status500InternalServerError,
                "An unexpected error occurred on the server. It has been logged.", $"Give the administrator the trace id {traceId}.");
            problem.Type = ProblemCatalog.TypeBase + "internal";
            problem.Title = "Internal server error.";
            problem.Extensions["code"] = "Internal";
        }
        else
        {
            logger.Refused(problem.Status ?? 0, (string)problem.Extensions["code"]!, request.Method, request.Path, traceId);
        }

        problem.Extensions["traceId"] = traceId;
        await ProblemResponse.WriteAsync(httpContext, problem, cancellationToken);
        return true;
    }

    private ProblemDetails FromSsoException(SsoException e, HttpRequest request, string traceId)
    {
        if (e.Code == SsoErrorCode.DecryptionFailed)
        {
            // All decrypt failures look the same to a caller: no oracle. The message (ids only, never values) is logged.
            logger.DecryptionFailed(request.Method, request.Path, traceId, e.Message);
            return Create(e.Code, ProblemCatalog.StatusOf(e.Code), "A stored value could not be decrypted.",
                $"An administrator can find the details in the server log under trace id {traceId}.");
        }

        return Create(e.Code, ProblemCatalog.StatusOf(e.Code), e.Message, e.Hint);
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException e)
    {
        var json = e.InnerException as JsonException ?? e.InnerException?.InnerException as JsonException;
        if (json is not null)
        {
            var where = json.Path is { Length: > 0 } path ? $" at {path}" : "";
            var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
            // JsonException messages name the token and the expected shape, never echo the body's values.
            var reason = json.Message.Split(" Path:", 2)[0];
            return Create(SsoErrorCode.InvalidInput, StatusCodes.Status400BadRequest,
                $"The request body is not valid JSON for this endpoint{where}{position}: {reason}",
                "Send a JSON object as described in /openapi/v1.json, with Content-Type: application/json.");
        }

        var status = e.StatusCode is >= 400 and < 500 ? e.StatusCode : StatusCodes.Status400BadRequest;
        return Create(SsoErrorCode.InvalidInput, status, e.Message, "See /openapi/v1.json for the expected request.");
    }

    internal static ProblemDetails Create(SsoErrorCode code, int status, string detail, string? hint)
    {
        var problem = new ProblemDetails
        {
            Type = ProblemCatalog.TypeOf(code),
            Title = ProblemCatalog.TitleOf(code),
            Status = status,
            Detail = detail,
        };
        problem.Extensions["code"] = code.ToString();
        problem.Extensions["hint"] = hint;
        return problem;
    }
}
