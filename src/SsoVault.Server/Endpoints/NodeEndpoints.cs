using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.KeyDistribution;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

/// <summary>
/// Node-to-node calls. They carry no API key: each request is signed with the calling node's identity key, which the
/// Core checks against the key the database records (docs/security.md, "Nodes and their trust").
/// </summary>
internal static class NodeEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var nodes = v1.MapGroup("/nodes").WithTags("Nodes");
        nodes.MapPost("/key-ring", GrantAsync).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("On the master secret server: the data keys, sealed for an approved node's signed request (node to node only).");
        nodes.MapPost("/handover/offer", OfferAsync).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("On the node taking over: accept a signed handover offer from the master secret server (node to node only).");
        nodes.MapPost("/handover/deliver", DeliverAsync).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("On the node taking over: receive the sealed master secrets, store them, prove it holds them (node to node only).");
    }

    private static async Task<Ok<HandoverAcceptance>> OfferAsync(HttpContext http, HandoverOffer offer, HandoverInbox inbox) =>
        TypedResults.Ok(await inbox.AcceptAsync(await http.NodeAsync(), offer, http.RequestAborted));

    private static async Task<Ok<HandoverReceipt>> DeliverAsync(HttpContext http, HandoverDelivery delivery, HandoverInbox inbox) =>
        TypedResults.Ok(await inbox.ReceiveAsync(await http.NodeAsync(), delivery, http.RequestAborted));

    private static async Task<Ok<KeyRingGrant>> GrantAsync(HttpContext http, KeyRingRequest request) =>
        TypedResults.Ok(await KeyRingRelease.GrantAsync(await http.NodeAsync(), request, http.RequestAborted));
}
