using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.Applications;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

/// <summary>Credentials to set: one per credential field, in field order. <see cref="User"/> null = the caller's own.</summary>
public sealed record SetCredentialsRequest(IReadOnlyList<string> Credentials, string? User = null, string? ExternalUser = null);

public sealed record RedeemTicketRequest(string Ticket, string? Sender = null);

/// <summary>
/// The runtime calls: ISSOMapper.SetExternalCredentials, ISSOLookup.GetCredentials, ISSOTicket.IssueTicket and
/// RedeemTicket / ValidateAndRedeemTicket. Answers holding credentials are marked no-store.
/// </summary>
internal static class CredentialEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var credentials = v1.MapGroup("/apps/{app}").WithTags("Credentials and tickets").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        credentials.MapPut("/credentials", SetAsync)
            .WithSummary("SetExternalCredentials: the caller's own, or (application administrators) those of 'user'; 'externalUser' creates the mapping.");
        credentials.MapGet("/credentials", LookupAsync)
            .WithSummary("GetCredentials: the caller's external user id and credentials, from the node's credential cache while it is valid; ?refresh=true bypasses it (ENTSSO's SSO_FLAG_REFRESH).");
        credentials.MapPost("/tickets/redeem", RedeemAsync).ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("RedeemTicket (application administrators); with 'sender', ValidateAndRedeemTicket. Returns the ticket user's credentials.");
        v1.MapPost("/tickets", IssueAsync).WithTags("Credentials and tickets").ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("IssueTicket: a ticket for the caller (tickets must be allowed system-wide).");
    }

    private static async Task<Ok<MappingView>> SetAsync(HttpContext http, string app, SetCredentialsRequest request) =>
        TypedResults.Ok(await CredentialService.SetAsync(await http.NodeAsync(), http.Caller(), app, request.User, request.ExternalUser, request.Credentials,
            http.RequestAborted));

    private static async Task<Ok<CredentialLookupResult>> LookupAsync(HttpContext http, string app, bool? refresh)
    {
        var result = await CredentialService.LookupAsync(await http.NodeAsync(), http.Caller(), app, http.RequestAborted, refresh ?? false);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(result);
    }

    private static async Task<Ok<IssuedTicket>> IssueAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var ticket = await TicketService.IssueAsync(await http.NodeAsync(), http.Caller(), cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(ticket);
    }

    private static async Task<Ok<CredentialLookupResult>> RedeemAsync(HttpContext http, string app, RedeemTicketRequest request)
    {
        var result = await TicketService.RedeemAsync(await http.NodeAsync(), http.Caller(), app, request.Ticket, request.Sender, http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(result);
    }
}
