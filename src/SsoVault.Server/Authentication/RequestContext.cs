using SsoVault.Core.Identity;
using SsoVault.Core.Nodes;
using SsoVault.Server.Hosting;

namespace SsoVault.Server.Authentication;

/// <summary>The request's node (rented on first use, given back when the response is done) and its authenticated caller.</summary>
internal static class RequestContext
{
    private static readonly object NodeKey = new();
    private static readonly object CallerKey = new();

    public static async Task<SsoNode> NodeAsync(this HttpContext http)
    {
        if (http.Items[NodeKey] is NodePool.Lease lease)
        {
            return lease.Node;
        }

        var pool = http.RequestServices.GetRequiredService<NodePool>();
        lease = await pool.RentAsync(http.RequestAborted);
        http.Response.RegisterForDisposeAsync(lease);
        http.Items[NodeKey] = lease;
        return lease.Node;
    }

    /// <summary>The caller the API key filter authenticated; endpoints outside that filter have none.</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Items[CallerKey] as Caller ?? throw new InvalidOperationException("This endpoint is not behind the API key filter.");

    internal static void SetCaller(this HttpContext http, Caller caller) => http.Items[CallerKey] = caller;
}
