using Microsoft.Extensions.Primitives;
using SsoVault.Core.Identity;

namespace SsoVault.Server.Authentication;

/// <summary>
/// Authenticates every endpoint of its group: <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>, checked by
/// <see cref="IdentityService.AuthenticateAsync(SsoVault.Core.Nodes.SsoNode, string?, CancellationToken)"/> through the node's cache of
/// authenticated keys (one epoch read per request while nothing changed). Any failure is the same 401 (Unauthenticated),
/// whatever was wrong.
/// </summary>
internal sealed class ApiKeyFilter : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var node = await http.NodeAsync();
        var caller = await IdentityService.AuthenticateAsync(node, TokenOf(http.Request), http.RequestAborted);
        http.SetCaller(caller);
        return await next(context);
    }

    private static string? TokenOf(HttpRequest request)
    {
        if (request.Headers.Authorization is { Count: > 0 } authorization)
        {
            var value = authorization.ToString();
            const string Scheme = "Bearer ";
            return value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? value[Scheme.Length..].Trim() : null;
        }

        return request.Headers.TryGetValue(HeaderName, out var key) && !StringValues.IsNullOrEmpty(key) ? key.ToString().Trim() : null;
    }
}
