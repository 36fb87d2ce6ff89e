using Microsoft.AspNetCore.Http.HttpResults;
using SsoVault.Core.Applications;
using SsoVault.Core.Entsso;
using SsoVault.Server.Authentication;

namespace SsoVault.Server.Endpoints;

/// <summary>A new mapping: <see cref="Account"/> null maps the caller itself (individual applications).</summary>
public sealed record CreateMappingRequest(string ExternalUser, string? Account = null);

/// <summary>
/// Mappings (ENTSSO's ISSOMapping; ssomanage -createmappings/-deletemappings/-enablemapping/-disablemapping/-listmappings).
/// The routes without {account} act on the caller's own mapping, as ssoclient does.
/// </summary>
internal static class MappingEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/mappings", ListAsync).WithTags("Mappings")
            .WithSummary("Mappings the caller may see, optionally of one application (?app=) or one Windows account (?account=).");
        v1.MapPost("/mappings/import", ImportAsync).WithTags("Mappings").Accepts<string>("application/xml")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("ENTSSO's mappings file as application/xml (ssomanage -createmappings; ?delete=true is -deletemappings), all or nothing.");

        var mappings = v1.MapGroup("/apps/{app}/mappings").WithTags("Mappings").ProducesProblem(StatusCodes.Status404NotFound);
        mappings.MapPost("/", CreateAsync).WithSummary("Create a mapping (disabled until enabled or given credentials).");
        mappings.MapPost("/{account}/enable", (HttpContext http, string app, string account) => SetEnabledAsync(http, app, account, true))
            .WithSummary(@"Enable a mapping; {account} is the Windows account (URL-encoded: CORP%5Calice), or the external account in a host group application.");
        mappings.MapPost("/{account}/disable", (HttpContext http, string app, string account) => SetEnabledAsync(http, app, account, false))
            .WithSummary("Disable a mapping.");
        mappings.MapDelete("/{account}", (HttpContext http, string app, string account) => DeleteAsync(http, app, account))
            .WithSummary("Delete a mapping and its credentials; returns the deleted mapping.");
        mappings.MapPost("/enable", (HttpContext http, string app) => SetEnabledAsync(http, app, null, true)).WithSummary("Enable the caller's own mapping.");
        mappings.MapPost("/disable", (HttpContext http, string app) => SetEnabledAsync(http, app, null, false)).WithSummary("Disable the caller's own mapping.");
        mappings.MapDelete("/", (HttpContext http, string app) => DeleteAsync(http, app, null)).WithSummary("Delete the caller's own mapping.");
    }

    private static async Task<Ok<IReadOnlyList<MappingView>>> ListAsync(HttpContext http, string? app, string? account) =>
        TypedResults.Ok(await MappingService.ListAsync(await http.NodeAsync(), http.Caller(), app, account, http.RequestAborted));

    private static async Task<Created<MappingView>> CreateAsync(HttpContext http, string app, CreateMappingRequest request)
    {
        var view = await MappingService.CreateAsync(await http.NodeAsync(), http.Caller(), app, request.Account, request.ExternalUser, http.RequestAborted);
        return TypedResults.Created($"/v1/mappings?app={Uri.EscapeDataString(view.Application)}&account={Uri.EscapeDataString(view.WindowsAccount)}", view);
    }

    private static async Task<Ok<MappingView>> SetEnabledAsync(HttpContext http, string app, string? account, bool enabled) =>
        TypedResults.Ok(await MappingService.SetEnabledAsync(await http.NodeAsync(), http.Caller(), app, account, enabled, http.RequestAborted));

    private static async Task<Ok<MappingView>> DeleteAsync(HttpContext http, string app, string? account) =>
        TypedResults.Ok(await MappingService.DeleteAsync(await http.NodeAsync(), http.Caller(), app, account, http.RequestAborted));

    private static async Task<Ok<IReadOnlyList<MappingView>>> ImportAsync(HttpContext http, bool? delete)
    {
        var entries = MappingFile.Parse(await RequestBody.ReadXmlAsync(http), RequestBody.XmlSource);
        return TypedResults.Ok(await EntssoImport.ImportMappingsAsync(await http.NodeAsync(), http.Caller(), entries, RequestBody.XmlSource, delete ?? false,
            http.RequestAborted));
    }
}
