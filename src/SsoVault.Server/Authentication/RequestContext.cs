using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Server.Hosting;

namespace SsoVault.Server.Authentication;

/// <summary>The request's node (the server's one shared node) and its authenticated caller.</summary>
internal static class RequestContext
{
    private static readonly object CallerKey = new();

    public static Task<SsoNode> NodeAsync(this HttpContext http) =>
        http.RequestServices.GetRequiredService<SharedNode>().GetAsync(http.RequestAborted);

    /// <summary>The caller the API key filter authenticated; endpoints outside that filter have none.</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Items[CallerKey] as Caller ?? throw new InvalidOperationException("This endpoint is not behind the API key filter.");

    internal static void SetCaller(this HttpContext http, Caller caller) => http.Items[CallerKey] = caller;
}
