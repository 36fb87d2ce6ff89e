using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.Entsso;
using SsoVault.Core.MasterSecrets;
using SsoVault.Core.Nodes;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

public sealed record TicketPolicyRequest(bool? Allowed = null, bool? Validated = null);

/// <summary>The settings after an update file, and the secret server move when the file named a new one.</summary>
public sealed record GlobalInfoUpdateResult(GlobalInfoView GlobalInfo, MoveResult? Move);

/// <summary>ENTSSO's global settings: ISSOAdmin.GetGlobalInfo/UpdateGlobalInfo, ssomanage -enablesso/-disablesso, -tickets, -updatedb.</summary>
internal static class GlobalInfoEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var system = v1.MapGroup("/system").WithTags("System");
        system.MapGet("/global-info", GetAsync).WithSummary("GetGlobalInfo: SSO on/off, ticket policy and timeouts, audit sizes, role accounts (SSO Administrators).");
        system.MapPost("/global-info", UpdateAsync).Accepts<string>("application/xml").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("UpdateGlobalInfo from ENTSSO's update file as application/xml (ssomanage -updatedb), in one transaction.");
        system.MapPost("/enable", (HttpContext http, CancellationToken cancellationToken) => SetEnabledAsync(http, true, cancellationToken)).WithSummary("Enable single sign-on (ssomanage -enablesso).");
        system.MapPost("/disable", (HttpContext http, CancellationToken cancellationToken) => SetEnabledAsync(http, false, cancellationToken)).WithSummary("Disable single sign-on (ssomanage -disablesso).");
        system.MapPut("/tickets", SetTicketsAsync).WithSummary("The global ticket policy (ssomanage -tickets): members not given stay.");
    }

    private static async Task<Ok<GlobalInfoView>> GetAsync(HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await GlobalInfoService.GetAsync(await http.NodeAsync(), http.Caller(), cancellationToken));

    private static async Task<Ok<GlobalInfoView>> SetEnabledAsync(HttpContext http, bool enabled, CancellationToken cancellationToken) =>
        TypedResults.Ok(await GlobalInfoService.SetSsoEnabledAsync(await http.NodeAsync(), http.Caller(), enabled, cancellationToken));

    private static async Task<Ok<GlobalInfoView>> SetTicketsAsync(HttpContext http, TicketPolicyRequest request) =>
        TypedResults.Ok(await GlobalInfoService.SetTicketsAsync(await http.NodeAsync(), http.Caller(), request.Allowed, request.Validated, http.RequestAborted));

    private static async Task<Ok<GlobalInfoUpdateResult>> UpdateAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var file = GlobalInfoFile.Parse(await RequestBody.ReadXmlAsync(http), RequestBody.XmlSource);
        var (view, move) = await GlobalInfoService.ApplyAsync(await http.NodeAsync(), http.Caller(), file, cancellationToken);
        return TypedResults.Ok(new GlobalInfoUpdateResult(view, move));
    }
}
